package io.telemetrybridge.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kind of a metric, serialised by its seed (serde) variant name. Source: docs/seed-api.md, "Items" (MetricData.) */
public enum MetricType {
    @JsonProperty("Counter") COUNTER,
    @JsonProperty("Gauge") GAUGE,
    @JsonProperty("Histogram") HISTOGRAM,
    @JsonProperty("Summary") SUMMARY
}
