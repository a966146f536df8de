package io.telemetrybridge.config;

import static io.telemetrybridge.config.SettingsReader.PREFIX;

import io.telemetrybridge.deadletter.DeadLetterSettings;
import io.telemetrybridge.grpc.GrpcSettings;
import io.telemetrybridge.http.HttpSettings;
import io.telemetrybridge.ingest.FileSettings;
import io.telemetrybridge.kafka.KafkaSettings;
import io.telemetrybridge.kafka.TopicSettings;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.otlp.OtlpEncoding;
import io.telemetrybridge.otlp.OtlpSettings;
import io.telemetrybridge.query.QueryLimits;
import io.telemetrybridge.query.QuerySettings;
import io.telemetrybridge.spool.SpoolSettings;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The bridge's own settings ({@code bridge.*} keys, and {@code camel.server.port} which several parts need),
 * read once at start-up through Camel's properties and validated, one record per concern. Every key and its
 * default is listed in {@code application.properties} and docs/configuration.md; Camel's own keys are left to
 * Camel. A key that no setting reads stops the start-up, naming the nearest known key.
 *
 * @param kafka       where Kafka is, the embedded broker, client security ({@code bridge.kafka.*})
 * @param topics      topic names and how they are created ({@code bridge.topics.*})
 * @param http        the HTTP front door ({@code camel.server.port}, {@code bridge.http.*})
 * @param grpc        the OTLP/gRPC front door ({@code bridge.grpc.*})
 * @param otlp        OTLP decoding bound and record encodings ({@code bridge.otlp.*})
 * @param file        file drops ({@code bridge.file.*})
 * @param deadLetters dead letters ({@code bridge.dlq.*})
 * @param query       the query side ({@code bridge.query.*})
 * @param spool       the local spool ({@code bridge.spool.*})
 */
public record BridgeSettings(KafkaSettings kafka, TopicSettings topics, HttpSettings http, GrpcSettings grpc,
        OtlpSettings otlp, FileSettings file, DeadLetterSettings deadLetters, QuerySettings query,
        SpoolSettings spool) {

    /**
     * Reads and validates the settings.
     *
     * @throws IllegalArgumentException naming every bad key and its value
     */
    public static BridgeSettings from(PropertiesComponent properties) {
        SettingsReader r = new SettingsReader(properties);
        BridgeSettings settings = read(r);
        if (!r.errors.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + String.join("; ", r.errors));
        }
        return settings;
    }

    /**
     * The one settings summary of the start-up log, one {@code key = value} line each (secrets as {@code set} /
     * {@code unset}); see {@link SettingsReader#summary}. Call after {@link #from} accepted the settings.
     */
    public static List<String> summary(PropertiesComponent properties) {
        SettingsReader r = new SettingsReader(properties);
        read(r);
        return r.summary();
    }

    private static BridgeSettings read(SettingsReader r) {
        HttpSettings http = HttpKeys.http(r);
        BridgeSettings settings = new BridgeSettings(KafkaKeys.kafka(r), KafkaKeys.topics(r), http,
                HttpKeys.grpc(r, http), otlp(r), file(r),
                new DeadLetterSettings((int) r.positive("dlq.max-payload-bytes", 65_536),
                        Path.of(r.text("dlq.folder", "data/dead-letter"))),
                query(r), spool(r));
        // Read by the routes only (placeholders): validated here all the same.
        r.positive("file.poll-interval-ms", 1000);
        r.positive("heartbeat.period-ms", 30_000);
        r.bool("heartbeat.enabled", true);
        r.nonNegative("retry.max-redeliveries", 3);
        r.positive("retry.initial-delay-ms", 500);
        r.positive("retry.max-delay-ms", 5000);
        r.unknownKeys(KafkaKeys.OPEN_PREFIXES);
        return settings;
    }

    private static OtlpSettings otlp(SettingsReader r) {
        Map<Signal, OtlpEncoding> encodings = new EnumMap<>(Signal.class);
        for (Signal s : Signal.values()) {
            encodings.put(s, r.encoding("otlp." + s.id() + ".encoding"));
        }
        return new OtlpSettings((int) r.positive("otlp.max-json-depth", 64), encodings);
    }

    private static FileSettings file(SettingsReader r) {
        return new FileSettings((int) r.positive("file.chunk-records", 5000), r.positive("file.chunk-bytes", 4_194_304),
                (int) r.positive("file.max-line-bytes", 4_194_304), r.positive("file.max-batch-bytes", 67_108_864),
                r.positive("file.orphan-lock-ms", 20_000), Path.of(r.text("file.inbox", "inbox")),
                r.positive("file.quiet-period-ms", 1000));
    }

    private static SpoolSettings spool(SettingsReader r) {
        String fsync = r.text("spool.fsync", "request").trim();
        long interval = r.positive("spool.fsync-interval-ms", 100);
        if (!fsync.equals("request") && !fsync.equals("interval")) {
            r.errors.add(PREFIX + "spool.fsync: expected request or interval, got '" + fsync + "'");
        }
        return new SpoolSettings(r.bool("spool.enabled", false), Path.of(r.text("spool.dir", "data/spool")),
                r.positive("spool.max-bytes", 1L << 30), r.positive("spool.segment-bytes", 64L << 20),
                fsync.equals("interval") ? interval : 0, r.positive("spool.kafka-timeout-ms", 1000));
    }

    private static QuerySettings query(SettingsReader r) {
        int defaultLimit = (int) r.positive("query.default-limit", 100);
        int maxLimit = (int) r.positive("query.max-limit", 1000);
        int window = (int) r.positive("query.max-result-window", 10_000);
        if (defaultLimit > maxLimit || maxLimit > window) {
            r.errors.add(PREFIX + "query.*: need default-limit <= max-limit <= max-result-window, got "
                    + defaultLimit + ", " + maxLimit + ", " + window);
            defaultLimit = Math.min(defaultLimit, maxLimit);
            window = Math.max(window, maxLimit);
        }
        return new QuerySettings(
                r.positive("query.timeout-ms", 10_000),
                (int) r.positive("query.max-concurrent", 4),
                (int) r.positive("query.parallelism", 2),
                r.positive("query.max-records-scanned", 5_000_000),
                r.nonNegative("query.max-lateness-ms", 3_600_000),
                r.nonNegative("query.max-clock-skew-ms", 300_000),
                new QueryLimits(defaultLimit, maxLimit, window),
                (int) r.nonNegative("query.trace-index.max-spans", 2_000_000));
    }
}
