package io.telemetrybridge.error;

import com.google.rpc.Code;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * Bearer-token authentication of one group of endpoints (ingestion, or reads), checked on the event loop before
 * the in-flight bound and before the body is read: {@code Authorization: Bearer <token>} or
 * {@code X-API-Key: <token>}. A request without a known token gets 401 with {@code WWW-Authenticate} (a
 * {@code google.rpc.Status} UNAUTHENTICATED on the OTLP paths). Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, in constant time, and every configured token is compared so the time does not
 * tell which one nearly matched. No token ever appears in an answer or a log line. CORS preflight requests
 * ({@code OPTIONS}) pass: browsers send them without credentials.
 */
final class TokenAuth implements Handler<RoutingContext> {

    private final List<byte[]> digests;
    private final String realm;

    /** @param tokens the accepted tokens (not empty); @param realm what they grant, named in the challenge */
    TokenAuth(List<String> tokens, String realm) {
        this.digests = tokens.stream().map(TokenAuth::digest).toList();
        this.realm = realm;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if ("OPTIONS".equals(ctx.request().method().name())) {
            ctx.next();
            return;
        }
        String presented = presented(ctx);
        boolean known = false;
        if (presented != null) {
            byte[] d = digest(presented);
            for (byte[] accepted : digests) {
                known |= MessageDigest.isEqual(d, accepted);
            }
        }
        if (known) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
        HttpErrorPages.answer(ctx, 401, "Unauthorized", presented == null
                ? "this endpoint needs a token: Authorization: Bearer <token> (or X-API-Key)"
                : "the token is not one of the " + realm + " tokens", Code.UNAUTHENTICATED);
    }

    private static String presented(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization != null && authorization.length() > 7
                && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return authorization.substring(7).trim();
        }
        String key = ctx.request().getHeader("X-API-Key");
        return key == null || key.isBlank() ? null : key.trim();
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
