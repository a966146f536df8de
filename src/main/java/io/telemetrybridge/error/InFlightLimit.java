package io.telemetrybridge.error;

import com.google.rpc.Code;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
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
        ctx.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds));
        HttpErrorPages.answer(ctx, 429, "Too Many Requests", "the bridge is handling " + limit
                + " requests already (bridge.http.max-in-flight-requests); retry after " + retryAfterSeconds + " s",
                Code.RESOURCE_EXHAUSTED);
    }
}
