package io.telemetrybridge.model;

import java.time.Instant;
import java.util.Map;

/**
 * One log record; one Kafka record on the logs topic. {@code timestamp} is an RFC 3339 instant (UTC,
 * nanosecond precision); {@code severity_number} follows the OpenTelemetry range 1–24 when present.
 * Source: docs/seed-api.md, "Items" (LogData.)
 */
public record LogData(
        Instant timestamp,
        LogLevel level,
        String message,
        Map<String, String> attributes,
        String body,
        Integer severityNumber,
        String severityText) {

    public LogData {
        attributes = attributes == null ? Map.of() : attributes;
    }
}
