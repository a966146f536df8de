package io.telemetrybridge.rules;

import io.telemetrybridge.model.Signal;

/**
 * What a rule sees of one item (a span, a metric data point, a log record), whatever the entry path. Seed-API and
 * file items have no resource or scope: for them {@code resource(k)} reads the item's own attribute (labels for
 * metrics) {@code k}, so a rule over {@code resource.service.name} also finds a seed log's {@code service.name}.
 * Values are strings as written in Kafka records' JSON (OTLP AnyValue scalars as text; arrays and maps: null).
 */
public interface RecordView {

    Signal signal();

    /** The tenant of the request (from its token), or null. */
    String tenant();

    /** A resource attribute as text, or null when absent or not a scalar. */
    String resource(String key);

    /** The instrumentation scope's name, or null. */
    String scope();

    /** An attribute of the item itself (data point attributes for metrics), or null. */
    String attribute(String key);

    /** The span name, the metric name, or the log record's event name; may be null. */
    String name();

    /**
     * The OTLP severity number of a log record (1 TRACE .. 21 FATAL, 0 unspecified); 0 for other signals.
     * Source: OpenTelemetry logs data model, "SeverityNumber".
     */
    int severity();
}
