package io.telemetrybridge.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;
import java.util.Set;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * What every request passes before any route sees it, in this order:
 * CORS (when origins are configured), tokens ({@link TokenAuth}, when any are configured), the retryable answer
 * of a path that cannot be served now ({@link FallbackAnswers}, order -2), then the in-flight bound
 * ({@link InFlightLimit}). Refused requests take no in-flight slot and their body is never read.
 */
final class HttpGuards {

    private final HttpAccess access;
    private final HttpRoutes routes;
    private final InFlightBound inFlight;
    private final int retryAfterSeconds;
    private final long maxBodyBytes;

    /** @param maxBodyBytes {@code camel.server.maxBodySize}: what a body without {@code Content-Length} counts as */
    HttpGuards(HttpAccess access, HttpRoutes routes, InFlightBound inFlight, int retryAfterSeconds,
            long maxBodyBytes) {
        this.access = access;
        this.routes = routes;
        this.inFlight = inFlight;
        this.retryAfterSeconds = retryAfterSeconds;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Adds the guards to the platform-http router, ahead of every route's handler. */
    void install(VertxPlatformHttpRouter router) {
        CorsHandler cors = cors();
        TokenAuth tokens = access.ingestTokens().isEmpty() && access.readTokens().isEmpty() ? null
                : new TokenAuth(routes, access.ingest(), access.read());
        InFlightLimit limit = new InFlightLimit(inFlight, retryAfterSeconds, routes, maxBodyBytes);
        // Every path: a route added in YAML on any path is guarded like the bridge's own.
        String path = "/*";
        if (cors != null) {
            if (!access.allowedOrigins().contains("*")) {
                // Answers differ by Origin: caches must not serve one origin's answer to another.
                router.route(path).order(-4).handler(ctx -> {
                    ctx.response().headers().add("Vary", "Origin");
                    ctx.next();
                });
            }
            router.route(path).order(-4).handler(cors);
        }
        if (tokens != null) {
            router.route(path).order(-3).handler(tokens);
        }
        router.route(path).order(-1).handler(limit);
    }

    private CorsHandler cors() {
        if (access.allowedOrigins().isEmpty()) {
            return null;
        }
        CorsHandler cors = CorsHandler.create()
                .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
                .allowedHeaders(Set.of("Content-Type", "Content-Encoding", "Authorization", "X-API-Key"))
                .exposedHeaders(Set.of("Retry-After"));
        if (access.allowedOrigins().contains("*")) {
            cors.addOrigin("*");
        } else {
            cors.addOrigins(access.allowedOrigins());
        }
        return cors;
    }

}
