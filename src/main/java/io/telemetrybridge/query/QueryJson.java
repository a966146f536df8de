package io.telemetrybridge.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.telemetrybridge.error.InvalidInputException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Small typed readers for query JSON that name the field (by its wire path) when it is wrong. */
final class QueryJson {

    private QueryJson() {}

    static void checkRange(Instant start, Instant end, String path) {
        if (start != null && end != null && !start.isBefore(end)) {
            throw new InvalidInputException(path, "start " + start + " is not before end " + end);
        }
    }

    static void checkWindow(QueryLimits limits, int limit, int offset, String path) {
        if ((long) offset + limit > limits.maxResultWindow()) {
            throw new InvalidInputException(path, "offset + limit must not exceed the result window of "
                    + limits.maxResultWindow() + ", got " + offset + " + " + limit);
        }
    }

    static void onlyKeys(JsonNode object, String path, Set<String> accepted) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!accepted.contains(key)) {
                throw new InvalidInputException(path.isEmpty() ? key : path + "." + key,
                        (path.endsWith("parameters") ? "unknown parameter" : "unknown field") + "; accepted: " + String.join(", ", ordered(accepted)));
            }
        }
    }

    static String requiredText(JsonNode object, String key) {
        String text = optionalText(object, key);
        if (text == null) {
            throw new InvalidInputException(key, "required string is missing");
        }
        return text;
    }

    /** A string member, null when absent or JSON null. */
    static String optionalText(JsonNode object, String key) {
        JsonNode node = present(object.get(key));
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInputException(key, "expected a string");
        }
        return node.textValue();
    }

    static String nonEmpty(String text, String path) {
        if (text.isEmpty()) {
            throw new InvalidInputException(path, "expected a non-empty string");
        }
        return text;
    }

    static Instant instant(String text, String path) {
        Instant instant = EventTimes.parse(text);
        if (instant == null) {
            throw new InvalidInputException(path, "expected an RFC 3339 date-time such as "
                    + "2025-01-01T12:00:00Z, got \"" + text + "\"");
        }
        return instant;
    }

    static Instant optionalInstant(JsonNode object, String key, String path) {
        JsonNode node = present(object.get(key));
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInputException(path, "expected an RFC 3339 date-time string");
        }
        return instant(node.textValue(), path);
    }

    static JsonNode array(JsonNode object, String key) {
        JsonNode node = present(object.get(key));
        if (node == null) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!node.isArray()) {
            throw new InvalidInputException(key, "expected an array");
        }
        return node;
    }

    static int integer(JsonNode node, String path, int min, int max, int absent) {
        node = present(node);
        if (node == null) {
            return absent;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min
                || node.longValue() > max) {
            throw new InvalidInputException(path, "expected a whole number from " + min + " to " + max
                    + ", got " + node);
        }
        return (int) node.longValue();
    }

    static JsonNode present(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    private static List<String> ordered(Set<String> names) {
        return names instanceof LinkedHashSet ? List.copyOf(names) : names.stream().sorted().toList();
    }
}
