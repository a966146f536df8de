package io.telemetrybridge.otlp;

import io.telemetrybridge.model.Signal;
import java.util.Map;

/**
 * How OTLP requests are read and written ({@code bridge.otlp.*}; docs/configuration.md), validated at start-up.
 *
 * @param maxJsonDepth deepest JSON nesting accepted in OTLP/JSON requests
 * @param encodings    how the requests of each signal become Kafka records ({@code json}, {@code otlp_json},
 *                     {@code otlp_proto})
 */
public record OtlpSettings(int maxJsonDepth, Map<Signal, OtlpEncoding> encodings) {

    public OtlpSettings {
        encodings = Map.copyOf(encodings);
    }
}
