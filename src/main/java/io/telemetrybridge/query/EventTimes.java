package io.telemetrybridge.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.model.Signal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * When a stored record happened, in nanoseconds since the Unix epoch (UTC), for time-range queries. OTLP-derived
 * records carry {@code *_unix_nano} numbers; seed records only RFC 3339 strings with up to nine fraction digits.
 * Source: docs/seed-api.md, "Validation" (timestamps), and docs/queries.md, "Time range".
 */
public final class EventTimes {

    private EventTimes() {}

    /**
     * Event time of a record in ns since the Unix epoch, or Long.MIN_VALUE when it has none: metrics and logs use
     * a positive {@code time_unix_nano}, else {@code timestamp}; traces a positive {@code start_time_unix_nano},
     * else {@code start_time}.
     */
    public static long nanos(Signal signal, JsonNode record) {
        if (record == null || !record.isObject()) {
            return Long.MIN_VALUE;
        }
        String unixNano = signal == Signal.TRACES ? "start_time_unix_nano" : "time_unix_nano";
        String text = signal == Signal.TRACES ? "start_time" : "timestamp";
        long nanos = positiveLong(record.get(unixNano));
        if (nanos > 0) {
            return nanos;
        }
        JsonNode time = record.get(text);
        return time != null && time.isTextual() ? toNanos(parse(time.textValue())) : Long.MIN_VALUE;
    }

    /**
     * Parses an RFC 3339 date-time ({@code 2025-01-01T12:00:00.123456789Z}, or with an offset such as
     * {@code +02:00}, converted to UTC); null when the text is not one.
     */
    public static Instant parse(String text) {
        if (text == null || text.length() < 16 || text.length() > 64) {
            return null;
        }
        try {
            // RFC 3339 allows lower-case 't' and 'z'; java.time does not.
            return OffsetDateTime.parse(text.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Nanoseconds since the epoch, or Long.MIN_VALUE when absent or outside 1677-09-21..2262-04-11. */
    public static long toNanos(Instant instant) {
        if (instant == null) {
            return Long.MIN_VALUE;
        }
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    /** A positive integral number, also written as a decimal string (OTLP JSON writes uint64 as strings). */
    private static long positiveLong(JsonNode node) {
        if (node == null) {
            return 0;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Math.max(0, node.longValue());
        }
        if (node.isTextual() && node.textValue().matches("\\d{1,19}")) {
            try {
                return Long.parseLong(node.textValue());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
