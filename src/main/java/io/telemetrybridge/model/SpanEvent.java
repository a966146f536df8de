package io.telemetrybridge.model;

import java.time.Instant;
import java.util.Map;

/** A timestamped event inside a span. Source: docs/seed-api.md, "Items" (SpanEvent.) */
public record SpanEvent(String name, Instant timestamp, Map<String, String> attributes) {

    public SpanEvent {
        attributes = attributes == null ? Map.of() : attributes;
    }
}
