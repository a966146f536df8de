package io.telemetrybridge.error;

import com.google.rpc.Code;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.telemetrybridge.http.BearerTokens;

/**
 * Bearer-token authentication of one group of endpoints (ingestion, or reads), checked on the event loop before
 * the in-flight bound and before the body is read: {@code Authorization: Bearer <token>} or
 * {@code X-API-Key: <token>}. A request without a known token gets 401 with {@code WWW-Authenticate} (a
 * {@code google.rpc.Status} UNAUTHENTICATED on the OTLP paths). The comparison is {@link BearerTokens}'s; no token
 * ever appears in an answer or a log line. CORS preflight requests
 * ({@code OPTIONS}) pass: browsers send them without credentials.
 */
final class TokenAuth implements Handler<RoutingContext> {

    private final BearerTokens tokens;

    TokenAuth(BearerTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if ("OPTIONS".equals(ctx.request().method().name())) {
            ctx.next();
            return;
        }
        String presented = presented(ctx);
        if (tokens.accepts(presented)) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"" + tokens.realm() + "\"");
        HttpErrorPages.answer(ctx, 401, "Unauthorized", presented == null
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
