package io.telemetrybridge.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Role of a span in a trace. Source: docs/seed-api.md, "Items" (TraceData.kind). */
public enum SpanKind {
    @JsonProperty("Internal") INTERNAL,
    @JsonProperty("Server") SERVER,
    @JsonProperty("Client") CLIENT,
    @JsonProperty("Producer") PRODUCER,
    @JsonProperty("Consumer") CONSUMER
}
