package io.telemetrybridge.http;

import io.telemetrybridge.error.RateLimitedException;
import io.telemetrybridge.model.ExchangeProperties;
import com.google.rpc.Code;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.Source;
import io.telemetrybridge.observe.BridgeMeters;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error answers of the OTLP/HTTP receiver: a {@code google.rpc.Status} in the request's encoding (protobuf or
 * OTLP/JSON; JSON when the request's media type is not one of them), with the HTTP status the OTLP
 * specification names: 400 (not retryable), 413, 415, 503 with {@code Retry-After} (retryable), 500 for our own
 * bugs only. Called from the {@code otlp-errors} route configuration, for every OTLP front door: the gRPC door
 * turns these answers into gRPC statuses ({@code GrpcAnswers}).
 */
public final class OtlpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpErrors.class);

    private final Throttled refusals = new Throttled();
    private final int retryAfterSeconds;
    private final BridgeMeters meters;

    public OtlpErrors(int retryAfterSeconds, BridgeMeters meters) {
        this.retryAfterSeconds = retryAfterSeconds;
        this.meters = meters;
    }

    /** 400 (the request was dead-lettered by the step before). */
    public void badRequest(Exchange exchange) throws Exception {
        respond(exchange, 400, Code.INVALID_ARGUMENT, caught(exchange).getMessage());
    }

    /** 413 (the request, its first bytes, was dead-lettered by the step before). */
    public void tooLarge(Exchange exchange) throws Exception {
        respond(exchange, 413, Code.RESOURCE_EXHAUSTED, caught(exchange).getMessage());
    }

    public void unsupportedMediaType(Exchange exchange) throws Exception {
        respond(exchange, 415, Code.INVALID_ARGUMENT, caught(exchange).getMessage());
    }

    public void unavailable(Exchange exchange) throws Exception {
        Exception e = caught(exchange);
        meters.unavailable(exchange.getProperty(ExchangeProperties.SIGNAL, Signal.class),
                exchange.getProperty(ExchangeProperties.SOURCE, Source.OTLP_HTTP, Source.class));
        refusals.warn(LOG, "Kafka did not accept records for {}: {}", exchange.getFromRouteId(), e.getMessage());
        respond(exchange, 503, Code.UNAVAILABLE, "Kafka is not accepting records now (" + e.getMessage()
                + "); retry after " + retryAfterSeconds + " s");
        exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    /** 429 / RESOURCE_EXHAUSTED with a retry delay: tenant over its rate, or no room in hand (nothing was sent). */
    public void rateLimited(Exchange exchange) throws Exception {
        RateLimitedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RateLimitedException.class);
        respond(exchange, 429, Code.RESOURCE_EXHAUSTED, e.getMessage());
        exchange.getMessage().setHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }

    public void internal(Exchange exchange) throws Exception {
        String id = UUID.randomUUID().toString();
        LOG.error("Internal error {} in route {}", id, exchange.getFromRouteId(), caught(exchange));
        respond(exchange, 500, Code.INTERNAL, "internal error " + id + "; the bridge's log has the details");
    }

    private static Exception caught(Exchange exchange) {
        return exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
    }

    private static void respond(Exchange exchange, int httpStatus, Code code, String message) {
        boolean protobuf = !exchange.getProperty(ExchangeProperties.OTLP_JSON, true, Boolean.class);
        HttpAnswer.write(exchange, httpStatus, RpcStatus.contentType(protobuf),
                RpcStatus.body(code, message, protobuf));
    }
}
