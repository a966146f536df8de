package io.telemetrybridge.model;

import java.util.Locale;

/**
 * Where a record entered the bridge: the value of record header {@code telemetry.source}, of the {@code source}
 * label of the {@code telemetry_bridge_*} meters, and of a dead letter's {@code dlq.source} header.
 */
public enum Source {
    /** The seed API, {@code POST /api/v1/{metrics,traces,logs}}. */
    HTTP,
    /** OTLP over HTTP, {@code POST /v1/{traces,metrics,logs}}. */
    OTLP_HTTP,
    /** OTLP over gRPC, the three {@code Export} services. */
    OTLP_GRPC,
    /** A file dropped into the inbox. */
    FILE,
    /** The bridge's own heartbeat timer. */
    TIMER,
    /** A record read back from Kafka (a poison record met by a query). */
    KAFKA;

    /** The name written to Kafka and to meters: {@code http}, {@code otlp-http}, {@code otlp-grpc}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return id();
    }
}
