package io.telemetrybridge.error;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.telemetrybridge.codec.MediaTypes;
import io.telemetrybridge.otlp.OtlpJsonWriter;
import io.telemetrybridge.otlp.OtlpRequests;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the ingestion requests being handled at once. Vert.x hands each request to a worker pool with an
 * unbounded queue, so without a bound a burst (or a slow Kafka) would pile up request bodies in memory; past
 * the bound a request is answered at once, before its body is read, with 429 and {@code Retry-After}, which
 * OTLP clients retry. Runs on the event loop, first of all handlers.
 */
final class InFlightLimit implements Handler<RoutingContext> {

    private final int limit;
    private final int retryAfterSeconds;
    private final AtomicInteger inFlight = new AtomicInteger();

    InFlightLimit(int limit, int retryAfterSeconds) {
        this.limit = limit;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            refuse(ctx);
            return;
        }
        ctx.addEndHandler(done -> inFlight.decrementAndGet());
        ctx.next();
    }

    private void refuse(RoutingContext ctx) {
        String message = "the bridge is handling " + limit + " requests already (bridge.http.max-in-flight-requests); "
                + "retry after " + retryAfterSeconds + " s";
        boolean otlp = ctx.request().path().startsWith("/v1/");
        boolean protobuf = otlp && MediaTypes.matches(ctx.request().getHeader("Content-Type"), OtlpRequests.PROTOBUF);
        byte[] body;
        try {
            Status status = Status.newBuilder().setCode(Code.RESOURCE_EXHAUSTED.getNumber()).setMessage(message).build();
            body = !otlp ? ("{\"status\":429,\"error\":\"Too Many Requests\",\"message\":\"" + message + "\"}")
                    .getBytes(StandardCharsets.UTF_8) : protobuf ? status.toByteArray() : OtlpJsonWriter.write(status);
        } catch (IOException e) {
            body = new byte[0];
        }
        ctx.response().setStatusCode(429).putHeader("Retry-After", String.valueOf(retryAfterSeconds))
                .putHeader("Content-Type", protobuf ? OtlpRequests.PROTOBUF : "application/json")
                // The body is not read; do not keep the connection for it.
                .putHeader("Connection", "close")
                .end(Buffer.buffer(body));
    }
}
