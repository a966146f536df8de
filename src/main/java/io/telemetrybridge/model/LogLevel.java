package io.telemetrybridge.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Severity level of a log record. Source: docs/seed-api.md, "Items" (LogData.level). */
public enum LogLevel {
    @JsonProperty("Trace") TRACE,
    @JsonProperty("Debug") DEBUG,
    @JsonProperty("Info") INFO,
    @JsonProperty("Warn") WARN,
    @JsonProperty("Error") ERROR,
    @JsonProperty("Fatal") FATAL
}
