package io.telemetrybridge.http;

import com.google.rpc.Code;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Bounds the ingestion requests being handled at once (paths whose route is in group {@code ingest}). Vert.x hands each request to a worker pool with an
 * unbounded queue, so without a bound a burst (or a slow Kafka) would pile up request bodies in memory; past
 * the bound a request is answered at once, before its body is read, with 429 and {@code Retry-After}, which
 * OTLP clients retry. Runs on the event loop, first of all handlers. The bound is shared with the gRPC receiver.
 */
final class InFlightLimit implements Handler<RoutingContext> {

    private final InFlightBound bound;
    private final int retryAfterSeconds;
    private final HttpRoutes routes;

    InFlightLimit(InFlightBound bound, int retryAfterSeconds, HttpRoutes routes) {
        this.bound = bound;
        this.retryAfterSeconds = retryAfterSeconds;
        this.routes = routes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        // Reads have their own bound (bridge.query.max-concurrent): only ingestion takes a slot.
        if (routes.access(ctx) != HttpRoutes.Access.INGEST) {
            ctx.next();
            return;
        }
        if (!bound.tryAcquire()) {
            refuse(ctx);
            return;
        }
        ctx.addEndHandler(done -> bound.release());
        ctx.next();
    }

    private void refuse(RoutingContext ctx) {
        ctx.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds));
        EarlyAnswer.end(ctx, 429, "the bridge is handling " + bound.limit()
                + " requests already (bridge.http.max-in-flight-requests); retry after " + retryAfterSeconds + " s",
                Code.RESOURCE_EXHAUSTED);
    }
}
