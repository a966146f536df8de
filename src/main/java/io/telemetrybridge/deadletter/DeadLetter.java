package io.telemetrybridge.deadletter;

import io.telemetrybridge.model.ExchangeProperties;
import io.telemetrybridge.codec.MediaTypes;
import io.telemetrybridge.model.ExchangeProperties;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.Source;
import java.util.LinkedHashMap;
import java.util.Objects;
import org.apache.camel.Exchange;
import java.util.Map;

/**
 * One dead letter: input the bridge could never publish (a permanent error), with where it came from and why.
 * It becomes one record on the dead-letter topic whose headers are {@link DeadLetters#HEADER_PREFIX}{@code *}
 * (docs/dead-letters.md).
 *
 * @param signal  {@code metrics}, {@code traces}, {@code logs}
 * @param source  where the input came in
 * @param reason  the exception, whose class and message are recorded
 * @param payload the original bytes (bounded when written)
 * @param context source-specific details: {@code http.path}, {@code http.content.type}, {@code file.name},
 *                {@code file.line}, …
 */
public record DeadLetter(String signal, Source source, String routeId, Exception reason, byte[] payload,
        Map<String, String> context) {

    /** A dead letter with no source-specific details yet; add them with {@link #with}. */
    public static DeadLetter of(String signal, Source source, String routeId, Exception reason, byte[] payload) {
        return new DeadLetter(signal, source, routeId, reason, payload == null ? new byte[0] : payload,
                new LinkedHashMap<>());
    }

    /**
     * A dead letter for the request of {@code exchange} (its body; path and media type over HTTP, method over
     * gRPC), of the signal recorded in exchange property {@code telemetrySignal}.
     */
    public static DeadLetter ofRequest(Exchange exchange, Source source, Exception reason) {
        // The ingest beans record the signal first thing; a request without one is our bug (500), not a guess.
        Signal signal = Objects.requireNonNull(exchange.getProperty(ExchangeProperties.SIGNAL, Signal.class),
                "no signal recorded on the exchange");
        byte[] body = exchange.getMessage().getBody(byte[].class);
        return of(signal.id(), source, exchange.getFromRouteId(), reason, body)
                .with("http.path", exchange.getMessage().getHeader(Exchange.HTTP_PATH))
                .with("http.content.type", MediaTypes.header(exchange.getMessage(), Exchange.CONTENT_TYPE))
                .with("http.content.encoding", MediaTypes.header(exchange.getMessage(), "Content-Encoding"))
                .with("grpc.method", exchange.getProperty(ExchangeProperties.GRPC_METHOD, String.class));
    }

    /** The same letter holding {@code bytes} (for example the part of a request that was refused). */
    public DeadLetter withPayload(byte[] bytes) {
        return new DeadLetter(signal, source, routeId, reason, bytes, context);
    }

    /** Adds a source-specific detail (ignored when {@code value} is null). */
    public DeadLetter with(String key, Object value) {
        if (value != null) {
            context.put(key, String.valueOf(value));
        }
        return this;
    }
}
