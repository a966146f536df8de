package io.telemetrybridge.codec;

import io.telemetrybridge.error.UnsupportedMediaTypeException;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Message;

/** Media-type matching as RFC 9110 defines it: type and subtype case-insensitive, parameters ignored. */
public final class MediaTypes {

    public static final String JSON = "application/json";

    private MediaTypes() {}

    /**
     * The request header {@code name} as the client sent it. platform-http also copies URL query parameters
     * into headers, after the real headers: when both exist the value is a list whose first entry is the header.
     */
    public static String header(Message message, String name) {
        Object value = message.getHeader(name);
        if (value instanceof List<?> list) {
            return list.isEmpty() ? null : String.valueOf(list.get(0));
        }
        return value == null ? null : value.toString();
    }

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
     * @throws UnsupportedMediaTypeException unless {@code contentType} names {@code expected}, with no charset
     *                                       other than UTF-8 (JSON is UTF-8: RFC 8259, section 8.1)
     */
    public static void require(String contentType, String expected) {
        if (!matches(contentType, expected)) {
            throw new UnsupportedMediaTypeException(contentType, expected);
        }
        String charset = parameter(contentType, "charset");
        if (charset != null && !charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
            throw new UnsupportedMediaTypeException(contentType, expected + " in UTF-8");
        }
    }

    /** The value of parameter {@code name} of a media type, unquoted, or null. */
    static String parameter(String contentType, String name) {
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0 && parts[i].substring(0, eq).trim().equalsIgnoreCase(name)) {
                return parts[i].substring(eq + 1).trim().replace("\"", "");
            }
        }
        return null;
    }
}
