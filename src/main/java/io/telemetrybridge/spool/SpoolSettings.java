package io.telemetrybridge.spool;

import java.nio.file.Path;

/**
 * The local spool ({@code bridge.spool.*}; docs/delivery.md, "Spool"), off by default.
 *
 * @param enabled         whether records Kafka cannot take in time are kept on local disk and acknowledged
 * @param dir             where the segment files are
 * @param maxBytes        bound on the segment files' total size; past it requests get 503 as without a spool
 * @param segmentBytes    size past which a new segment file is started
 * @param fsyncIntervalMs 0: every request is synced to disk before its answer; N: data is synced every N ms and
 *                        the answer does not wait (a power loss may lose the last N ms)
 * @param kafkaTimeoutMs  how long a request waits for Kafka's acknowledgement before its records are spooled
 */
public record SpoolSettings(boolean enabled, Path dir, long maxBytes, long segmentBytes, long fsyncIntervalMs,
        long kafkaTimeoutMs) {

    /** The spool switched off. */
    public static final SpoolSettings OFF = new SpoolSettings(false, Path.of("data/spool"), 1L << 30, 64L << 20, 0,
            1000);
}
