package io.telemetrybridge.http;

import io.telemetrybridge.model.ExchangeProperties;
import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.Source;
import io.telemetrybridge.observe.BridgeMeters;
import io.telemetrybridge.error.QueryRejectedException;
import io.telemetrybridge.error.RateLimitedException;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error answers of our own HTTP API, in the one {@link ErrorBody}, called from the {@code http-errors} route
 * configuration: 400 / 413 / 415, 429 / 503 with {@code Retry-After}, 500 only for our bugs. A refused request
 * (400, 413 for an oversized item) is dead-lettered by the step before ({@code deadLetters.refused}).
 */
public final class HttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private final Throttled refusals = new Throttled();
    private final Throttled unreadable = new Throttled();
    private final int retryAfterSeconds;
    private final BridgeMeters meters;

    public HttpErrors(int retryAfterSeconds, BridgeMeters meters) {
        this.retryAfterSeconds = retryAfterSeconds;
        this.meters = meters;
    }

    /** 400: the request itself is wrong; nothing of it was published (and it was dead-lettered). */
    public void badRequest(Exchange exchange) throws Exception {
        InvalidInputException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, InvalidInputException.class);
        respond(exchange, ErrorBody.of(400, e.getMessage()).withField(e.field()));
    }

    /** 400 for a query: it cannot run as written. A query is not telemetry, so it is not dead-lettered. */
    public void badQuery(Exchange exchange) throws Exception {
        InvalidInputException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, InvalidInputException.class);
        respond(exchange, ErrorBody.of(400, e.getMessage()).withField(e.field()));
    }

    /**
     * 429 when the bridge already answers as many queries as it may, 503 when Kafka cannot be read; both with
     * {@code Retry-After}.
     */
    public void queryRejected(Exchange exchange) throws Exception {
        QueryRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, QueryRejectedException.class);
        if (e.busy()) {
            respond(exchange, ErrorBody.of(429, e.getMessage() + "; retry after " + retryAfterSeconds + " s"));
        } else {
            LOG.warn("Query not answered: {}", e.getMessage());
            respond(exchange, ErrorBody.of(503, e.getMessage() + "; retry after " + retryAfterSeconds + " s"));
        }
        exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    /** 429 with {@code Retry-After}: tenant over its rate, or no room for the body in hand (nothing was sent). */
    public void rateLimited(Exchange exchange) throws Exception {
        RateLimitedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RateLimitedException.class);
        respond(exchange, ErrorBody.of(429, e.getMessage()));
        exchange.getMessage().setHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }

    /** 415: the body is not in a media type the endpoint reads. */
    public void unsupportedMediaType(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        respond(exchange, ErrorBody.of(415, e.getMessage()));
    }

    /** 413: one record of the request is larger than Kafka accepts; retrying cannot help. */
    public void tooLarge(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        respond(exchange, e instanceof InvalidInputException invalid
                ? ErrorBody.of(413, e.getMessage()).withField(invalid.field())
                : ErrorBody.of(413, "a record is larger than Kafka accepts: " + e.getMessage()));
    }

    /** 503 with {@code Retry-After}: Kafka did not take the records in time; the client should retry. */
    public void unavailable(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        meters.unavailable(exchange.getProperty(ExchangeProperties.SIGNAL, Signal.class), Source.HTTP);
        refusals.warn(LOG, "Kafka did not accept records for {}: {}", exchange.getFromRouteId(), e.getMessage());
        respond(exchange, ErrorBody.of(503, "Kafka is not accepting records now (" + e.getMessage()
                + "); retry after " + retryAfterSeconds + " s"));
        exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    /** 503 with {@code Retry-After} for a read (query, stats, cluster, topics): Kafka cannot be read now. */
    public void unreadable(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        unreadable.warn(LOG, "Kafka could not be read for {}: {}", exchange.getFromRouteId(), e.getMessage());
        respond(exchange, ErrorBody.of(503, "Kafka cannot be read now (" + e.getMessage() + "); retry after "
                + retryAfterSeconds + " s"));
        exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    /** 500: a bug of ours. The client gets an id to quote; the stack trace goes to our log only. */
    public void internal(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String id = UUID.randomUUID().toString();
        LOG.error("Internal error {} in route {}", id, exchange.getFromRouteId(), e);
        respond(exchange, ErrorBody.of(500, "internal error " + id + "; the bridge's log has the details"));
    }

    private static void respond(Exchange exchange, ErrorBody body) {
        HttpAnswer.write(exchange, body.status(), "application/json", body.json());
    }
}
