package io.telemetrybridge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON error body of our own HTTP API (everything but the OTLP paths, which answer with
 * {@link RpcStatus}): {@code {"status": 400, "error": "Bad Request", "message": "metrics[2].value: ...",
 * "field": "metrics[2].value"}}. {@code field} is there only when one field of the input is at fault. It never
 * carries a stack trace.
 *
 * @param status  the HTTP status code
 * @param error   its reason phrase (RFC 9110, section 15)
 * @param message what went wrong and, where it helps, what to do
 * @param field   the path of the field at fault, or empty
 */
public record ErrorBody(int status, String error, String message, String field) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ErrorBody {
        field = field == null ? "" : field;
    }

    /** A body without a field, with the reason phrase of {@code status}. */
    public static ErrorBody of(int status, String message) {
        return new ErrorBody(status, reason(status), message, "");
    }

    /** The same body naming {@code field} (left out when empty). */
    public ErrorBody withField(String field) {
        return new ErrorBody(status, error, message, field);
    }

    /** The body as UTF-8 JSON, members in the order above. */
    public byte[] json() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        body.put("message", message);
        if (!field.isEmpty()) {
            body.put("field", field);
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // A map of a number and strings always serialises.
            throw new IllegalStateException(e);
        }
    }

    /** The reason phrase of the statuses the bridge answers with. */
    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            case 500 -> "Internal Server Error";
            default -> "Error";
        };
    }
}
