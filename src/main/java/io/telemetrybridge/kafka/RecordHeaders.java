package io.telemetrybridge.kafka;

/**
 * The only record headers the bridge writes (docs/kafka-records.md). Inbound HTTP headers are removed
 * before publishing, so nothing a client sends reaches Kafka as a header.
 */
public final class RecordHeaders {

    /** {@code metrics}, {@code traces} or {@code logs}. */
    public static final String SIGNAL = "telemetry.signal";
    /** Where the record entered the bridge: {@code http}, {@code file} or {@code timer}. */
    public static final String SOURCE = "telemetry.source";
    /** Media type of the record value: {@code application/json}. */
    public static final String CONTENT_TYPE = "content-type";
    /** Version of the record value's shape; {@code 1} is the seed's record shape. */
    public static final String SCHEMA_VERSION = "telemetry.schema-version";
    /** The tenant of the request, from its token (docs/routing.md, "Tenants"); absent without one. */
    public static final String TENANT = "telemetry.tenant";

    /** Current value of {@link #SCHEMA_VERSION}. */
    public static final String SEED_SCHEMA_VERSION = "1";

    private RecordHeaders() {}
}
