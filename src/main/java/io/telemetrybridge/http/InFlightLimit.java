package io.telemetrybridge.http;

import com.google.rpc.Code;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Bounds the ingestion requests being handled at once (paths whose route is in group {@code ingest}), by count
 * and by body bytes ({@link InFlightBound}). Vert.x hands each request to a worker pool with an unbounded queue,
 * so without a bound a burst (or a slow Kafka) would pile up request bodies in memory; past the bound a request
 * is answered at once, before its body is read, with 429 and {@code Retry-After}, which OTLP clients retry.
 * Runs on the event loop, first of all handlers. The bound is shared with the gRPC receiver.
 */
final class InFlightLimit implements Handler<RoutingContext> {

    private final InFlightBound bound;
    private final int retryAfterSeconds;
    private final HttpRoutes routes;
    private final long maxBodyBytes;

    /** @param maxBodyBytes what a body without {@code Content-Length} (chunked) is reserved as, bytes */
    InFlightLimit(InFlightBound bound, int retryAfterSeconds, HttpRoutes routes, long maxBodyBytes) {
        this.bound = bound;
        this.retryAfterSeconds = retryAfterSeconds;
        this.routes = routes;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        // Reads have their own bound (bridge.query.max-concurrent): only ingestion takes a slot.
        if (routes.access(ctx) != HttpRoutes.Access.INGEST) {
            ctx.next();
            return;
        }
        if (!bound.tryAcquire()) {
            refuse(ctx, "the bridge is handling " + bound.limit() + " requests already "
                    + "(bridge.http.max-in-flight-requests)");
            return;
        }
        long size = bodySize(ctx);
        InFlightBound.Reservation reservation = bound.tryReserve(size);
        if (reservation == null) {
            bound.release();
            refuse(ctx, "the bridge holds " + bound.bytesInUse() + " bytes of requests already and this one is "
                    + size + " (bridge.http.max-in-flight-bytes: " + bound.maxBytes() + ")");
            return;
        }
        // The decoding step finds it by the request, to hold what a compressed body inflates to.
        bound.attach(ctx.request(), reservation);
        ctx.addEndHandler(done -> {
            bound.detach(ctx.request());
            reservation.close();
            bound.release();
        });
        ctx.next();
    }

    /**
     * The body's size as announced; a larger one than allowed is refused (413) before it counts more. Without
     * {@code Content-Length}, a POST or PUT (chunked, or HTTP/2 without the header) counts as the largest body
     * allowed; other methods as none (no route takes their body, and a GET that waited for room would get 429
     * instead of its 405).
     */
    private long bodySize(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        HttpMethod method = ctx.request().method();
        if (length == null && method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
            return 0;
        }
        if (length != null) {
            try {
                return Math.min(Math.max(Long.parseLong(length.trim()), 0), maxBodyBytes);
            } catch (NumberFormatException e) {
                // Vert.x refuses a malformed Content-Length itself; count it as the largest body meanwhile.
            }
        }
        return maxBodyBytes;
    }

    private void refuse(RoutingContext ctx, String why) {
        ctx.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds));
        EarlyAnswer.end(ctx, 429, why + "; retry after " + retryAfterSeconds + " s", Code.RESOURCE_EXHAUSTED);
    }
}
