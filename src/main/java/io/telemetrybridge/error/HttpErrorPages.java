package io.telemetrybridge.error;

import com.google.rpc.Code;
import com.google.rpc.Status;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrybridge.codec.MediaTypes;
import io.telemetrybridge.http.BearerTokens;
import io.telemetrybridge.http.InFlightBound;
import io.telemetrybridge.http.RouteAvailability;
import io.telemetrybridge.otlp.OtlpJsonWriter;
import io.telemetrybridge.otlp.OtlpRequests;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Answers the errors the HTTP server gives before any route runs under {@code /v1} and {@code /api} (404 no such
 * endpoint, 405 wrong method with the right {@code Allow}, 413 body over {@code camel.server.maxBodySize}) with
 * the bridge's error bodies instead of Vert.x's plain text (added to the platform-http router once it exists,
 * after the routes' own handlers): a {@code google.rpc.Status} on the OTLP paths (protobuf when the request was
 * protobuf), our JSON error elsewhere.
 */
public final class HttpErrorPages implements StartupListener {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Vert.x route order after any route added in this process's life. */
    private static final int LAST = 1_000_000;

    private final InFlightBound inFlight;
    private final RouteAvailability availability;
    private final int retryAfterSeconds;
    private final io.telemetrybridge.config.HttpAccess access;

    /**
     * @param inFlight          ingestion requests handled at once before 429 ({@link InFlightLimit}), shared
     *                          with the gRPC receiver
     * @param retryAfterSeconds {@code Retry-After} with 429
     */
    public HttpErrorPages(InFlightBound inFlight, int retryAfterSeconds,
            io.telemetrybridge.config.HttpAccess access, RouteAvailability availability) {
        this.availability = availability;
        this.inFlight = inFlight;
        this.retryAfterSeconds = retryAfterSeconds;
        this.access = access;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // The router exists only once the HTTP server has started.
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        int port = Integer.parseInt(context.getPropertiesComponent().resolveProperty("camel.server.port")
                .orElse("8080"));
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            return;
        }
        guard(router);
        InFlightLimit limit = new InFlightLimit(inFlight, retryAfterSeconds);
        // Ordered after every route, also those a live route reload adds later, so it only sees what no route
        // took: other methods, or paths nothing serves (any path, not only /v1 and /api).
        router.route("/*").order(LAST).handler(ctx -> {
            // A path whose route is being replaced, or any path while the bridge stops: retry, not 404 / 405.
            if (unavailable(ctx)) {
                return;
            }
            String allowed = allowed(context, ctx.request().path());
            if (allowed.isEmpty()) {
                answer(ctx, 404, "Not Found", "no endpoint at " + ctx.request().path());
            } else {
                ctx.response().putHeader("Allow", allowed);
                answer(ctx, 405, "Method Not Allowed", "only " + allowed + " is allowed here");
            }
        });
        for (String path : new String[] {"/v1/*", "/api/*"}) {
            // Before platform-http's own handler, which answers a stopping route with a bare 503.
            router.route(path).order(-1).handler(ctx -> {
                if (unavailable(ctx)) {
                    return;
                }
                // A request that reached a route just as it stops gets platform-http's bare 500 or 503.
                ctx.addHeadersEndHandler(v -> retryableWhileUnavailable(ctx));
                ctx.next();
            });
            router.route(path).order(-1).handler(limit);
            // The body handler fails the request with 413 before any route runs.
            router.route(path).failureHandler(ctx -> {
                if (ctx.statusCode() == 413) {
                    answer(ctx, 413, "Content Too Large", "the request body is larger than camel.server.maxBodySize");
                } else {
                    ctx.next();
                }
            });
        }
    }

    /** Answers 503 with {@code Retry-After} when {@link RouteAvailability} says the path cannot be served now. */
    private boolean unavailable(RoutingContext ctx) {
        String why = availability.unavailable(ctx.request().path());
        if (why == null) {
            return false;
        }
        ctx.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds));
        answer(ctx, 503, "Service Unavailable", why + "; retry after " + retryAfterSeconds + " s", Code.UNAVAILABLE);
        return true;
    }

    /**
     * Turns a bare 500 or 503 (no {@code Retry-After}) answered while the path cannot be served (its route stopping
     * under a reload or a shutdown) into a 503 with {@code Retry-After}, which clients retry. Our own answers carry
     * {@code Retry-After} or are not given for such a path.
     */
    private void retryableWhileUnavailable(RoutingContext ctx) {
        int status = ctx.response().getStatusCode();
        if ((status == 500 || status == 503) && ctx.response().headers().get("Retry-After") == null
                && availability.unavailable(ctx.request().path()) != null) {
            ctx.response().setStatusCode(503).putHeader("Retry-After", String.valueOf(retryAfterSeconds));
        }
    }

    /**
     * CORS first (when origins are configured), then the tokens of each group of endpoints (when configured):
     * ingestion ({@code /v1/*} and {@code POST /api/v1/{metrics,traces,logs}}) and reads (queries, trace lookups,
     * stats, cluster, topics). Both run before the in-flight bound, so refused requests take no slot.
     */
    private void guard(VertxPlatformHttpRouter router) {
        if (!access.allowedOrigins().isEmpty()) {
            io.vertx.ext.web.handler.CorsHandler cors = io.vertx.ext.web.handler.CorsHandler.create()
                    .allowedMethods(java.util.Set.of(io.vertx.core.http.HttpMethod.GET,
                            io.vertx.core.http.HttpMethod.POST, io.vertx.core.http.HttpMethod.OPTIONS))
                    .allowedHeaders(java.util.Set.of("Content-Type", "Content-Encoding", "Authorization",
                            "X-API-Key"))
                    .exposedHeaders(java.util.Set.of("Retry-After"));
            boolean any = access.allowedOrigins().contains("*");
            if (any) {
                cors.addOrigin("*");
            } else {
                cors.addOrigins(access.allowedOrigins());
            }
            for (String path : new String[] {"/v1/*", "/api/*"}) {
                if (!any) {
                    // Answers differ by Origin: caches must not serve one origin's answer to another.
                    router.route(path).order(-3).handler(ctx -> {
                        ctx.response().headers().add("Vary", "Origin");
                        ctx.next();
                    });
                }
                router.route(path).order(-3).handler(cors);
            }
        }
        if (!access.ingestTokens().isEmpty()) {
            TokenAuth ingest = new TokenAuth(new BearerTokens(access.ingestTokens(), "ingest"));
            router.route("/v1/*").order(-2).handler(ingest);
            router.routeWithRegex("^/api/v1/(metrics|traces|logs)/?$").order(-2).handler(ingest);
        }
        if (!access.readTokens().isEmpty()) {
            TokenAuth read = new TokenAuth(new BearerTokens(access.readTokens(), "read"));
            router.routeWithRegex("^/api/v1/(query/.*|traces/.+|stats|cluster|topics)$").order(-2).handler(read);
        }
    }

    /**
     * The methods the routes serve at {@code path} (comma-separated), from the HTTP endpoints platform-http has
     * now, so routes changed by a live reload count; empty when no route has the path.
     */
    private static String allowed(CamelContext context, String path) {
        java.util.Set<String> verbs = new java.util.TreeSet<>();
        PlatformHttpComponent http = context.getComponent("platform-http", PlatformHttpComponent.class);
        for (HttpEndpointModel endpoint : http.getHttpEndpoints()) {
            // "/api/v1/traces/{traceId}": a {name} stands for one path segment.
            String regex = java.util.Arrays.stream(endpoint.getUri().split("/", -1))
                    .map(seg -> seg.startsWith("{") && seg.endsWith("}") ? "[^/]+" : java.util.regex.Pattern.quote(seg))
                    .collect(java.util.stream.Collectors.joining("/"));
            if (path.matches(regex)) {
                String v = endpoint.getVerbs();
                verbs.addAll(v == null || v.isBlank() ? java.util.List.of("GET", "POST")
                        : java.util.List.of(v.split(",")));
            }
        }
        return String.join(", ", verbs.stream().map(String::trim).toList());
    }

    private static void answer(RoutingContext ctx, int status, String error, String message) {
        answer(ctx, status, error, message, status == 413 ? Code.RESOURCE_EXHAUSTED
                : status == 404 ? Code.NOT_FOUND : Code.INVALID_ARGUMENT);
    }

    /**
     * Ends the request with the bridge's error body, before any route ran: a {@code google.rpc.Status} on the
     * OTLP paths (protobuf when the request was protobuf), our JSON error elsewhere. The request body is not
     * read, so an HTTP/1.x connection is closed after the answer.
     */
    static void answer(RoutingContext ctx, int status, String error, String message, Code rpcCode) {
        if (ctx.response().ended()) {
            return;
        }
        boolean otlp = ctx.request().path().startsWith("/v1/");
        boolean protobuf = otlp && MediaTypes.matches(ctx.request().getHeader("Content-Type"), OtlpRequests.PROTOBUF);
        try {
            byte[] body;
            if (otlp) {
                Status rpc = Status.newBuilder().setCode(rpcCode.getNumber()).setMessage(message).build();
                body = protobuf ? rpc.toByteArray() : OtlpJsonWriter.write(rpc);
            } else {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("status", status);
                json.put("error", error);
                json.put("message", message);
                body = JSON.writeValueAsBytes(json);
            }
            ctx.response().setStatusCode(status)
                    .putHeader("Content-Type", protobuf ? OtlpRequests.PROTOBUF : "application/json");
            // HTTP/2 forbids connection headers (RFC 9113, 8.2.2): there the stream ends alone.
            if (ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
                ctx.response().putHeader("Connection", "close");
            }
            ctx.response().end(Buffer.buffer(body));
        } catch (IOException e) {
            ctx.response().setStatusCode(status).end();
        }
    }
}
