package io.telemetrybridge.model;

import java.util.Map;

/** A reference from a span to a span of another (or the same) trace. Source: SEED-MODEL.md, SpanLink. */
public record SpanLink(String traceId, String spanId, Map<String, String> attributes) {

    public SpanLink {
        attributes = attributes == null ? Map.of() : attributes;
    }
}
