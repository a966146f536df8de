package io.telemetrybridge.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrybridge.codec.InvalidInputException;
import io.telemetrybridge.deadletter.DeadLetter;
import io.telemetrybridge.deadletter.DeadLetters;
import io.telemetrybridge.ingest.TelemetryRecords;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.observe.BridgeMeters;
import io.telemetrybridge.query.QueryRejectedException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error body of our HTTP API: {@code {"status": 400, "error": "Bad Request", "field": "metrics[2].value",
 * "message": "metrics[2].value: expected one of ..."}} ({@code field} only when a field is at fault). Called
 * from the {@code http-errors} route configuration; never carries a stack trace. A refused request (400, 413
 * for an oversized item) is also sent to the dead-letter topic with its reason.
 */
public final class HttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private final ObjectMapper mapper;
    private final int retryAfterSeconds;
    private final DeadLetters deadLetters;
    private final BridgeMeters meters;

    public HttpErrors(ObjectMapper mapper, int retryAfterSeconds, DeadLetters deadLetters, BridgeMeters meters) {
        this.mapper = mapper;
        this.retryAfterSeconds = retryAfterSeconds;
        this.deadLetters = deadLetters;
        this.meters = meters;
    }

    /** 400: the request itself is wrong; nothing of it was published. */
    public void badRequest(Exchange exchange) throws Exception {
        InvalidInputException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, InvalidInputException.class);
        deadLetters.publish(DeadLetter.ofRequest(exchange, "http", e));
        Map<String, Object> body = body(400, "Bad Request", e.getMessage());
        if (!e.field().isEmpty()) {
            body.put("field", e.field());
        }
        respond(exchange, 400, body);
    }

    /** 400 for a query: it cannot run as written. A query is not telemetry, so it is not dead-lettered. */
    public void badQuery(Exchange exchange) throws Exception {
        InvalidInputException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, InvalidInputException.class);
        Map<String, Object> body = body(400, "Bad Request", e.getMessage());
        if (!e.field().isEmpty()) {
            body.put("field", e.field());
        }
        respond(exchange, 400, body);
    }

    /**
     * 429 when the bridge already answers as many queries as it may, 503 when Kafka cannot be read; both with
     * {@code Retry-After}.
     */
    public void queryRejected(Exchange exchange) throws Exception {
        QueryRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, QueryRejectedException.class);
        if (e.busy()) {
            respond(exchange, 429, body(429, "Too Many Requests", e.getMessage() + "; retry after "
                    + retryAfterSeconds + " s"));
        } else {
            LOG.warn("Query not answered: {}", e.getMessage());
            respond(exchange, 503, body(503, "Service Unavailable", e.getMessage() + "; retry after "
                    + retryAfterSeconds + " s"));
        }
        exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    /** 415: the body is not in a media type the endpoint reads. */
    public void unsupportedMediaType(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        respond(exchange, 415, body(415, "Unsupported Media Type", e.getMessage()));
    }

    /** 413: one record of the request is larger than Kafka accepts; retrying cannot help. */
    public void tooLarge(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        deadLetters.publish(DeadLetter.ofRequest(exchange, "http", e));
        Map<String, Object> body = body(413, "Content Too Large", e instanceof InvalidInputException
                ? e.getMessage() : "a record is larger than Kafka accepts: " + e.getMessage());
        if (e instanceof InvalidInputException invalid && !invalid.field().isEmpty()) {
            body.put("field", invalid.field());
        }
        respond(exchange, 413, body);
    }

    /** 503 with {@code Retry-After}: Kafka did not take the records in time; the client should retry. */
    public void unavailable(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        meters.unavailable(exchange.getProperty(TelemetryRecords.SIGNAL, Signal.class), "http");
        LOG.warn("Kafka did not accept records for {}: {}", exchange.getFromRouteId(), e.getMessage());
        respond(exchange, 503, body(503, "Service Unavailable",
                "Kafka is not accepting records now (" + e.getMessage() + "); retry after " + retryAfterSeconds
                        + " s"));
        exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    /** 503 with {@code Retry-After} for a read (query, stats, cluster, topics): Kafka cannot be read now. */
    public void unreadable(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Kafka could not be read for {}: {}", exchange.getFromRouteId(), e.getMessage());
        respond(exchange, 503, body(503, "Service Unavailable",
                "Kafka cannot be read now (" + e.getMessage() + "); retry after " + retryAfterSeconds + " s"));
        exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    /** 500: a bug of ours. The client gets an id to quote; the stack trace goes to our log only. */
    public void internal(Exchange exchange) throws Exception {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String id = UUID.randomUUID().toString();
        LOG.error("Internal error {} in route {}", id, exchange.getFromRouteId(), e);
        respond(exchange, 500, body(500, "Internal Server Error", "internal error " + id
                + "; the bridge's log has the details"));
    }

    private static Map<String, Object> body(int status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        body.put("message", message);
        return body;
    }

    private void respond(Exchange exchange, int status, Map<String, Object> body) throws Exception {
        HttpAnswer.write(exchange, status, "application/json", mapper.writeValueAsBytes(body));
    }
}
