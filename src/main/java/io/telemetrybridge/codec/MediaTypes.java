package io.telemetrybridge.codec;

import java.util.Locale;

/** Media-type matching as RFC 9110 defines it: type and subtype case-insensitive, parameters ignored. */
public final class MediaTypes {

    public static final String JSON = "application/json";

    private MediaTypes() {}

    /** {@code true} if {@code contentType} (a header value, may be null) names {@code expected}. */
    public static boolean matches(String contentType, String expected) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String essence = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return essence.toLowerCase(Locale.ROOT).equals(expected);
    }

    /**
     * @throws UnsupportedMediaTypeException unless {@code contentType} names {@code expected}
     */
    public static void require(String contentType, String expected) {
        if (!matches(contentType, expected)) {
            throw new UnsupportedMediaTypeException(contentType, expected);
        }
    }
}
