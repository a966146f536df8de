package io.telemetrybridge.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One span; one Kafka record on the traces topic, keyed by {@code trace_id}. {@code start_time} and
 * {@code end_time} are RFC 3339 instants (UTC, nanosecond precision); {@code duration_ns} is in nanoseconds.
 * Source: docs/seed-api.md, "Items" (TraceData.)
 */
public record TraceData(
        String traceId,
        String spanId,
        String parentSpanId,
        String name,
        SpanKind kind,
        Instant startTime,
        Instant endTime,
        Long durationNs,
        SpanStatus status,
        Map<String, String> attributes,
        List<SpanEvent> events,
        List<SpanLink> links) {

    public TraceData {
        // Hex ids are case-insensitive; one case keeps a trace under one Kafka key.
        traceId = SpanLink.lower(traceId);
        spanId = SpanLink.lower(spanId);
        parentSpanId = SpanLink.lower(parentSpanId);
        attributes = attributes == null ? Map.of() : attributes;
        events = events == null ? List.of() : events;
        links = links == null ? List.of() : links;
    }
}
