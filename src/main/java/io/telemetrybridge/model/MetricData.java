package io.telemetrybridge.model;

import java.time.Instant;
import java.util.Map;

/**
 * One metric reading; one Kafka record on the metrics topic. Field names on the wire are snake_case.
 * {@code timestamp} is an RFC 3339 instant in UTC, kept to the nanosecond. Source: docs/seed-api.md, "Items" (MetricData.)
 */
public record MetricData(
        String name,
        String description,
        String unit,
        MetricType metricType,
        MetricValue value,
        Map<String, String> labels,
        Instant timestamp) {

    public MetricData {
        labels = labels == null ? Map.of() : labels;
    }
}
