package io.telemetrybridge.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The fields a TracesQuery or LogsQuery has besides filters ({@code trace_id}, {@code span_id},
 * {@code service_name}, {@code operation_name}, {@code log_level}), turned into Equals filters on the stored
 * record's {@code trace_id}, {@code span_id}, {@code service}, {@code name} and {@code level}.
 * Source: docs/queries.md.
 */
final class SignalFilters {

    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");
    private static final Pattern SPAN_ID = Pattern.compile("[0-9a-fA-F]{16}");
    private static final List<String> LEVELS = List.of("Trace", "Debug", "Info", "Warn", "Error", "Fatal");

    private SignalFilters() {}

    /** Filters for the signal-specific fields of a query body; which of them are allowed is checked before. */
    static List<FieldFilter> fromQuery(JsonNode query) {
        List<FieldFilter> filters = new ArrayList<>();
        String traceId = QueryJson.optionalText(query, "trace_id");
        if (traceId != null) {
            filters.add(FieldFilter.equalsText("trace_id", traceId(traceId, "trace_id")));
        }
        String spanId = QueryJson.optionalText(query, "span_id");
        if (spanId != null) {
            filters.add(FieldFilter.equalsText("span_id", spanId(spanId, "span_id")));
        }
        String logLevel = QueryJson.optionalText(query, "log_level");
        if (logLevel != null) {
            filters.add(FieldFilter.equalsText("level", logLevel(logLevel, "log_level")));
        }
        String service = QueryJson.optionalText(query, "service_name");
        if (service != null) {
            filters.add(FieldFilter.equalsText("service", QueryJson.nonEmpty(service, "service_name")));
        }
        String operation = QueryJson.optionalText(query, "operation_name");
        if (operation != null) {
            filters.add(FieldFilter.equalsText("name", QueryJson.nonEmpty(operation, "operation_name")));
        }
        return filters;
    }

    /** 32 hex digits in any case, returned lower-case as stored; the all-zero id is invalid (W3C, OTLP). */
    static String traceId(String text, String path) {
        return hexId(text, path, TRACE_ID, 32, "trace id");
    }

    /** 16 hex digits in any case, returned lower-case as stored; the all-zero id is invalid (W3C, OTLP). */
    static String spanId(String text, String path) {
        return hexId(text, path, SPAN_ID, 16, "span id");
    }

    /** A seed log level in any case, returned as the seed spells it ({@code warn} becomes {@code Warn}). */
    static String logLevel(String text, String path) {
        for (String level : LEVELS) {
            if (level.equalsIgnoreCase(text)) {
                return level;
            }
        }
        throw new InvalidInputException(path, "expected one of " + String.join(", ", LEVELS) + ", got "
                + shown(text));
    }

    private static String hexId(String text, String path, Pattern shape, int digits, String what) {
        if (!shape.matcher(text).matches()) {
            throw new InvalidInputException(path, "expected " + digits + " hexadecimal characters, got "
                    + shown(text));
        }
        if (text.chars().allMatch(c -> c == '0')) {
            throw new InvalidInputException(path, "an all-zero " + what + " is invalid");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** The offending text in quotes, cut short so an error message stays small. */
    static String shown(String text) {
        return "\"" + (text.length() > 64 ? text.substring(0, 64) + "..." : text) + "\"";
    }
}
