package io.telemetrybridge.http;

import com.google.rpc.Code;
import io.vertx.core.Handler;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;

/**
 * Bearer-token authentication of the HTTP endpoints, checked on the event loop before the in-flight bound and
 * before the body is read: {@code Authorization: Bearer <token>} or {@code X-API-Key: <token>}. Which tokens a
 * path needs, ingestion or read ones, is {@link HttpRoutes#access}'s answer; a group without tokens configured is
 * open. A request without a known token gets 401 with {@code WWW-Authenticate} (a {@code google.rpc.Status}
 * UNAUTHENTICATED on the OTLP paths). The comparison is {@link BearerTokens}'s; no token ever appears in an
 * answer or a log line. The path is the normalised one ({@code /v1/../api} is {@code /api}), as Vert.x routes it.
 * CORS preflights never get here: the CORS handler before answers them (and without CORS there are none to
 * let through); any other {@code OPTIONS} request needs a token like the rest.
 */
final class TokenAuth implements Handler<RoutingContext> {

    private final HttpRoutes routes;
    /** Null when the group is open. */
    private final BearerTokens ingest;
    private final BearerTokens read;

    TokenAuth(HttpRoutes routes, BearerTokens ingest, BearerTokens read) {
        this.routes = routes;
        this.ingest = ingest;
        this.read = read;
    }

    @Override
    public void handle(RoutingContext ctx) {
        BearerTokens tokens = switch (routes.access(ctx)) {
            case INGEST -> ingest;
            case READ -> read;
            case OPEN -> null;
        };
        String presented = presented(ctx);
        if (tokens == null || tokens.accepts(presented)) {
            String tenant = tokens == null ? null : tokens.tenant(presented);
            if (tenant != null) {
                // Camel passes the authenticated user on as a header no client can set (docs/routing.md, "Tenants").
                ctx.setUser(User.fromName(tenant));
            }
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"" + tokens.realm() + "\"");
        EarlyAnswer.end(ctx, 401, presented == null
                ? "this endpoint needs a token: Authorization: Bearer <token> (or X-API-Key)"
                : tokens.refusal(presented), Code.UNAUTHENTICATED);
    }

    private static String presented(RoutingContext ctx) {
        String bearer = BearerTokens.bearer(ctx.request().getHeader("Authorization"));
        if (bearer != null) {
            return bearer;
        }
        String key = ctx.request().getHeader("X-API-Key");
        return key == null || key.isBlank() ? null : key.trim();
    }
}
