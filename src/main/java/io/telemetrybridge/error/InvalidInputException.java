package io.telemetrybridge.error;

/**
 * Client input that can never be accepted as sent: a permanent error, never retried. The message is
 * {@code "<field path>: <reason>"}, for example {@code metrics[2].value: expected one of Counter, Gauge,
 * Histogram, Summary}; the path uses the field names of the wire format.
 */
public class InvalidInputException extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidInputException(String field, String reason) {
        super(field == null || field.isEmpty() ? reason : field + ": " + reason);
        this.field = field == null ? "" : field;
        this.reason = reason;
    }

    /** Path of the offending field ({@code ""} for the whole document). */
    public String field() { return field; }

    /** Why the field is refused, without the path. */
    public String reason() { return reason; }

    /** The same error with {@code prefix} put in front of the path (for example a line number). */
    public InvalidInputException under(String prefix) {
        return new InvalidInputException(field.isEmpty() ? prefix : prefix + "." + field, reason);
    }
}
