package io.telemetrybridge.spool;

import org.apache.kafka.common.KafkaException;

/**
 * Kafka is not taking records and the spool has reached {@code bridge.spool.max-bytes}: the request is answered
 * as without a spool (503 / UNAVAILABLE with a retry delay), nothing of it acknowledged. A Kafka exception, so the
 * routes' "Kafka unavailable" handling answers it.
 */
public final class SpoolFullException extends KafkaException {

    public SpoolFullException(String message) {
        super(message);
    }
}
