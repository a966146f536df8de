package io.telemetrybridge.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Field paths in stored records (seed records and OTLP-derived ones) and the text and number forms that
 * filters and aggregations compare. Paths use wire names; keys of string maps may contain dots
 * ({@code labels.host.name} is the label {@code host.name}). Source: docs/seed-api.md and docs/queries.md, "Fields".
 */
public final class Fields {

    /** Variants a metric value is tagged with; walking a path unwraps them ({@code value.sum}). */
    private static final Set<String> VALUE_VARIANTS = Set.of("Counter", "Gauge", "Histogram", "Summary");

    /** A plain decimal number; stricter than Double.parseDouble, which also takes "NaN", "0x1p3" and "1d". */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    /** Below 2^53 an integral double is exact, so it can be written without a fraction ("10", not "10.0"). */
    private static final double EXACT_INTEGERS = 9.007199254740992E15;

    private Fields() {}

    /**
     * The value of a field path in a record, or null when it is absent; a JSON null is reported as absent, so
     * Exists fails on it. Besides plain member paths it knows {@code labels.<key>}, {@code attributes.<key>},
     * {@code resource.<key>} (a resource attribute), the virtual {@code service} and {@code duration_ms}, and
     * unwraps a metric value's single variant ({@code value} is the Counter or Gauge number).
     */
    public static JsonNode resolve(JsonNode record, String field) {
        if (record == null || field == null || field.isEmpty()) {
            return null;
        }
        JsonNode found = switch (field) {
            case "service" -> service(record);
            case "duration_ms" -> durationMs(record);
            default -> null;
        };
        if (found == null) {
            int dot = field.indexOf('.');
            if (dot > 0 && field.startsWith("resource.")) {
                found = present(record.path("resource").path("attributes").get(field.substring(dot + 1)));
            }
            if (found == null) {
                found = walk(record, field);
            }
        }
        return unwrapNumber(found);
    }

    /**
     * The text form of a scalar: a string as is, a number without a needless fraction ({@code 10}, {@code 2.5}),
     * {@code true}/{@code false}; null for an absent value, an array or an object.
     */
    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isFloatingPointNumber()) {
            return numberText(node.doubleValue());
        }
        return node.asText();
    }

    /** The numeric value of a JSON number or of a string holding a decimal number; NaN when there is none. */
    public static double number(JsonNode node) {
        if (node == null) {
            return Double.NaN;
        }
        if (node.isNumber()) {
            double d = node.doubleValue();
            return Double.isFinite(d) ? d : Double.NaN;
        }
        if (node.isTextual() && NUMBER.matcher(node.textValue()).matches()) {
            double d = Double.parseDouble(node.textValue());
            return Double.isFinite(d) ? d : Double.NaN;
        }
        return Double.NaN;
    }

    /**
     * How a field compares with a filter's number: negative, 0 or positive; null when the field is not a number
     * (nor a number's text). Compared as doubles, and exactly where the doubles are equal: 9007199254740993 is
     * not 9007199254740992, though both are the same double. {@code -0.0} equals {@code 0}.
     */
    static Integer compare(JsonNode node, FilterValue.NumberValue n) {
        double d = number(node);
        if (Double.isNaN(d)) {
            return null;
        }
        if (d != n.value()) {
            return d < n.value() ? -1 : 1;
        }
        java.math.BigDecimal exact = node.isNumber() ? node.decimalValue() : new java.math.BigDecimal(node.textValue());
        return exact.compareTo(n.exact());
    }

    static String numberText(double d) {
        if (d == Math.rint(d) && Math.abs(d) < EXACT_INTEGERS) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    /**
     * Walks object members; at each level a member named by the whole rest of the path wins over the next
     * segment, which is what lets map keys contain dots.
     */
    private static JsonNode walk(JsonNode node, String path) {
        String rest = path;
        while (true) {
            if (node == null || !node.isObject()) {
                return null;
            }
            JsonNode whole = node.get(rest);
            if (whole != null) {
                return present(whole);
            }
            int dot = rest.indexOf('.');
            if (dot < 0) {
                return null;
            }
            JsonNode next = node.get(rest.substring(0, dot));
            rest = rest.substring(dot + 1);
            node = unwrapVariant(next, rest);
        }
    }

    /** {"Histogram": {...}} walks as its content, unless the path names the variant itself. */
    private static JsonNode unwrapVariant(JsonNode node, String rest) {
        if (node != null && node.isObject() && node.size() == 1) {
            String name = node.fieldNames().next();
            if (VALUE_VARIANTS.contains(name) && !rest.equals(name) && !rest.startsWith(name + ".")) {
                return node.get(name);
            }
        }
        return node;
    }

    private static JsonNode unwrapNumber(JsonNode node) {
        if (node != null && node.isObject() && node.size() == 1) {
            JsonNode inner = node.has("Counter") ? node.get("Counter") : node.get("Gauge");
            if (inner != null) {
                return present(inner);
            }
        }
        return node;
    }

    /** service_name (OTLP records), then the resource's or the record's own service attribute or label. */
    private static JsonNode service(JsonNode record) {
        JsonNode[] candidates = {
            record.get("service_name"),
            record.path("resource").path("attributes").get("service.name"),
            record.path("attributes").get("service.name"),
            record.path("attributes").get("service"),
            record.path("labels").get("service.name"),
            record.path("labels").get("service"),
            record.get("service"),
        };
        for (JsonNode candidate : candidates) {
            if (present(candidate) != null) {
                return candidate;
            }
        }
        return null;
    }

    private static JsonNode durationMs(JsonNode record) {
        double ns = number(present(record.get("duration_ns")));
        return Double.isNaN(ns) ? present(record.get("duration_ms")) : DoubleNode.valueOf(ns / 1e6);
    }

    private static JsonNode present(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }
}
