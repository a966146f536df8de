package io.telemetrybridge.rules;

import com.google.re2j.Pattern;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Removes, or replaces by a keyed hash, the attributes whose key matches {@code keys} (an RE2J pattern matched
 * against the whole key): resource attributes, the item's attributes, span event and link attributes, seed
 * labels and attributes. {@code action: hash} writes {@code HMAC-SHA256(hashKey, value)} as 64 lowercase hex
 * digits, so equal values stay equal (joins and counts still work) without the value being readable; the
 * {@code hashKey} (at least 16 characters; use a {@code {{placeholder}}}) is never logged. Each changed
 * attribute is counted in {@code telemetry_bridge_rule_redacted_total{rule,signal}}.
 */
public final class AttributeRule extends RecordRule {

    private Pattern keys;
    private boolean hash;
    private byte[] hashKey;

    public void setKeys(String pattern) {
        this.keys = DropRule.pattern("keys", pattern);
    }

    /** {@code remove} (default) or {@code hash}. */
    public void setAction(String action) {
        switch (action == null ? "" : action.trim().toLowerCase(Locale.ROOT)) {
            case "remove" -> hash = false;
            case "hash" -> hash = true;
            default -> throw new IllegalArgumentException("action '" + action + "': expected remove or hash");
        }
    }

    public void setHashKey(String key) {
        if (key == null || key.length() < 16) {
            throw new IllegalArgumentException("hashKey: at least 16 characters");
        }
        this.hashKey = key.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    void check() {
        if (keys == null) {
            throw new IllegalArgumentException("attribute rule " + name() + ": keys is not set");
        }
        if (hash && hashKey == null) {
            throw new IllegalArgumentException("attribute rule " + name() + ": action hash needs hashKey");
        }
    }

    /** Whether the rule changes the attribute {@code key} of an item of its signal. */
    boolean matches(String key) {
        return keys.matches(key);
    }

    /** The attribute's new text value, or null when the attribute is removed. */
    String replacement(String value) {
        if (!hash) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hashKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
