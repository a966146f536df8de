package io.telemetrybridge.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The tokens of one group of endpoints (ingestion, or reads), for every front door: HTTP
 * ({@code Authorization: Bearer} or {@code X-API-Key}) and gRPC ({@code authorization: Bearer} metadata).
 * Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, in constant time, and every
 * configured token is compared so the time does not tell which one nearly matched. No token is ever logged or
 * shown by {@link #toString()}.
 */
public final class BearerTokens {

    private final List<byte[]> digests;
    private final String realm;
    /** Hex digest of a token → its tenant. */
    private final Map<String, String> tenants;

    /** @param tokens the accepted tokens (not empty); @param realm what they grant ({@code ingest}, {@code read}) */
    public BearerTokens(List<String> tokens, String realm) {
        this(tokens, realm, Map.of());
    }

    /** @param tenants token → tenant, for the tokens that tell one */
    public BearerTokens(List<String> tokens, String realm, Map<String, String> tenants) {
        this.digests = tokens.stream().map(BearerTokens::digest).toList();
        this.realm = realm;
        Map<String, String> byDigest = new HashMap<>();
        tenants.forEach((token, tenant) -> byDigest.put(HexFormat.of().formatHex(digest(token)), tenant));
        this.tenants = Map.copyOf(byDigest);
    }

    /** The tenant of an accepted token, or null when it tells none. */
    public String tenant(String presented) {
        return presented == null || tenants.isEmpty() ? null : tenants.get(HexFormat.of().formatHex(digest(presented)));
    }

    /** What the tokens grant, named in challenges and refusals. */
    public String realm() {
        return realm;
    }

    /** Whether {@code presented} (may be null) is one of the tokens. */
    public boolean accepts(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] d = digest(presented);
        boolean known = false;
        for (byte[] accepted : digests) {
            known |= MessageDigest.isEqual(d, accepted);
        }
        return known;
    }

    /** The token of an {@code Authorization} value {@code Bearer <token>} (scheme in any case), else null. */
    public static String bearer(String authorization) {
        if (authorization != null && authorization.length() > 7
                && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    /** The message of a refusal: no token, or an unknown one (never the token itself). */
    public String refusal(String presented) {
        return presented == null
                ? "this endpoint needs a token: Authorization: Bearer <token>"
                : "the token is not one of the " + realm + " tokens";
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "BearerTokens[" + realm + ", " + digests.size() + " configured]";
    }
}
