package io.telemetrybridge.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Outcome of a span: a code and an optional message. Source: docs/seed-api.md, "Items" (TraceData.status). */
public record SpanStatus(Code code, String message) {

    /** Status code, serialised by its seed variant name. */
    public enum Code {
        @JsonProperty("Ok") OK,
        @JsonProperty("Error") ERROR,
        @JsonProperty("Unset") UNSET
    }
}
