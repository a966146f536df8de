package io.telemetrybridge.http;

import com.google.rpc.Code;
import io.vertx.ext.web.RoutingContext;
import java.util.SortedSet;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * The answers the HTTP server gives when no route answers, in the bridge's bodies ({@link EarlyAnswer}) instead
 * of Vert.x's plain text, and never one a client would not retry while a route is only away for a moment:
 * <ul>
 *   <li>503 with {@code Retry-After} while {@link RouteAvailability} says the path cannot be served now (a
 *       reload, a shutdown), also in place of platform-http's bare 500 or 503 of a route that is stopping;</li>
 *   <li>404 for a path no route serves, 405 with the right {@code Allow} for a method none serves there;</li>
 *   <li>503 with {@code Retry-After} for a method a route serves there that the router still missed (routed in
 *       the instant a reload swapped the route);</li>
 *   <li>413 for a body over {@code camel.server.maxBodySize}.</li>
 * </ul>
 */
final class FallbackAnswers {

    /** Vert.x route order after any route added in this process's life. */
    private static final int LAST = 1_000_000;

    private final HttpRoutes routes;
    private final RouteAvailability availability;
    private final int retryAfterSeconds;

    FallbackAnswers(HttpRoutes routes, RouteAvailability availability, int retryAfterSeconds) {
        this.routes = routes;
        this.availability = availability;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Adds the handlers to the platform-http router: once, after the routes' own handlers exist. */
    void install(VertxPlatformHttpRouter router) {
        // Ordered after every route, also those a live route reload adds later, so it only sees what no route
        // took: other methods, or paths nothing serves (any path, not only /v1 and /api).
        router.route("/*").order(LAST).handler(ctx -> {
            if (unavailable(ctx)) {
                return;
            }
            String path = ctx.normalizedPath();
            SortedSet<String> allowed = routes.allowed(path);
            if (allowed.isEmpty()) {
                EarlyAnswer.end(ctx, 404, "no endpoint at " + path, Code.NOT_FOUND);
            } else if (allowed.contains(ctx.request().method().name())) {
                // A route serves this method here now, yet the router did not find it: the request was routed
                // while a reload had the old route removed and the new one not yet added.
                retryLater(ctx, "the route serving " + path + " is being reloaded");
            } else {
                String methods = String.join(", ", allowed);
                ctx.response().putHeader("Allow", methods);
                EarlyAnswer.end(ctx, 405, "only " + methods + " is allowed here", Code.INVALID_ARGUMENT);
            }
        });
        // Before platform-http's own handler, which answers a stopping route with a bare 503.
        router.route("/*").order(-2).handler(ctx -> {
            if (unavailable(ctx)) {
                return;
            }
            // A request that reached a route just as it stops gets platform-http's bare 500 or 503.
            ctx.addHeadersEndHandler(v -> retryableWhileUnavailable(ctx));
            ctx.next();
        });
        // The body handler fails the request with 413 before any route runs.
        router.route("/*").failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                EarlyAnswer.end(ctx, 413, "the request body is larger than camel.server.maxBodySize",
                        Code.RESOURCE_EXHAUSTED);
            } else {
                ctx.next();
            }
        });
    }

    /** Answers 503 with {@code Retry-After} when {@link RouteAvailability} says the path cannot be served now. */
    private boolean unavailable(RoutingContext ctx) {
        String why = availability.unavailable(ctx.normalizedPath());
        if (why == null) {
            return false;
        }
        retryLater(ctx, why);
        return true;
    }

    /** 503 with {@code Retry-After} (UNAVAILABLE on the OTLP paths), which OTLP clients retry. */
    private void retryLater(RoutingContext ctx, String why) {
        ctx.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds));
        EarlyAnswer.end(ctx, 503, why + "; retry after " + retryAfterSeconds + " s", Code.UNAVAILABLE);
    }

    /**
     * Turns a bare 500 or 503 (no {@code Retry-After}) answered while the path cannot be served (its route stopping
     * under a reload or a shutdown) into a 503 with {@code Retry-After}, which clients retry. Our own answers carry
     * {@code Retry-After} or are not given for such a path.
     */
    private void retryableWhileUnavailable(RoutingContext ctx) {
        int status = ctx.response().getStatusCode();
        if ((status == 500 || status == 503) && ctx.response().headers().get("Retry-After") == null
                && availability.unavailable(ctx.normalizedPath()) != null) {
            ctx.response().setStatusCode(503).putHeader("Retry-After", String.valueOf(retryAfterSeconds));
        }
    }
}
