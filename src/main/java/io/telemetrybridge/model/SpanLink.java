package io.telemetrybridge.model;

import java.util.Locale;
import java.util.Map;

/** A reference from a span to a span of another (or the same) trace. Source: docs/seed-api.md, "Items" (SpanLink.) */
public record SpanLink(String traceId, String spanId, Map<String, String> attributes) {

    public SpanLink {
        traceId = lower(traceId);
        spanId = lower(spanId);
        attributes = attributes == null ? Map.of() : attributes;
    }

    /** {@code id} in lower case (ids are hex); null stays null. */
    static String lower(String id) {
        return id == null ? null : id.toLowerCase(Locale.ROOT);
    }
}
