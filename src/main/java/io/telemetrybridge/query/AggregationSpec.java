package io.telemetrybridge.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.error.InvalidInputException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One aggregation of a query, {@code {field, function, alias?, parameters?}} (docs/queries.md,
 * "Aggregations"). {@code p} is the percentile in [0, 100] (Percentile only); a Histogram has either a fixed bucket
 * {@code interval} or a number of equal-width {@code buckets} between the smallest and largest value;
 * {@code groupBy}, when set, is a field path whose text splits the records into groups.
 */
public record AggregationSpec(String field, Function function, String alias, Double p, Double interval,
        Integer buckets, String groupBy) {

    /** Most equal-width histogram buckets one aggregation may ask for. */
    public static final int MAX_BUCKETS = 1000;

    /** Buckets of a Histogram that gives neither interval nor buckets. */
    public static final int DEFAULT_BUCKETS = 10;

    /** The seed's aggregation functions. */
    public enum Function {
        COUNT("Count"), SUM("Sum"), AVERAGE("Average"), MIN("Min"), MAX("Max"), MEDIAN("Median"),
        PERCENTILE("Percentile"), HISTOGRAM("Histogram"), CARDINALITY("Cardinality");

        private final String wireName;

        Function(String wireName) {
            this.wireName = wireName;
        }

        /** The seed's name, as written on the wire. */
        public String wireName() { return wireName; }

        static Function of(String wireName) {
            return Arrays.stream(values()).filter(f -> f.wireName.equals(wireName)).findFirst().orElse(null);
        }

        static String names() {
            return Arrays.stream(values()).map(Function::wireName).collect(Collectors.joining(", "));
        }
    }

    public AggregationSpec {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(alias, "alias");
        if (function == Function.PERCENTILE && (p == null || !(p >= 0 && p <= 100))) {
            throw new IllegalArgumentException("Percentile needs p in [0, 100], got " + p);
        }
        if (function == Function.HISTOGRAM && interval == null && buckets == null) {
            buckets = DEFAULT_BUCKETS;
        }
    }

    /** Whether this counts every matching record rather than those where the field exists (Count of "" or "*"). */
    public boolean countsAll() {
        return function == Function.COUNT && (field.isEmpty() || field.equals("*"));
    }

    /** The percentile this computes: {@code p} for Percentile, 50 for Median. */
    public double percentile() {
        return function == Function.MEDIAN ? 50 : p;
    }

    /** The alias used when none is given: {@code <function lower-case>_<field>}, or {@code count} for Count(*). */
    public static String defaultAlias(Function function, String field) {
        String name = function.wireName().toLowerCase(Locale.ROOT);
        return field.isEmpty() || field.equals("*") ? name : name + "_" + field;
    }

    /**
     * Reads one aggregation object.
     *
     * @throws InvalidInputException with a path relative to the aggregation ({@code function},
     *         {@code parameters.p}, ...) for an unknown key, function or parameter, or a value out of range
     */
    static AggregationSpec parse(JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidInputException("", "expected an object {field, function, alias?, parameters?}");
        }
        QueryJson.onlyKeys(node, "", Set.of("field", "function", "alias", "parameters"));
        Function function = Function.of(QueryJson.requiredText(node, "function"));
        if (function == null) {
            throw new InvalidInputException("function", "unknown function \"" + node.get("function").textValue()
                    + "\": expected one of " + Function.names());
        }
        String field = QueryJson.requiredText(node, "field");
        if ((field.isEmpty() || field.equals("*")) && function != Function.COUNT) {
            throw new InvalidInputException("field", function.wireName() + " needs a field path");
        }
        String alias = QueryJson.optionalText(node, "alias");
        if (alias == null) {
            alias = defaultAlias(function, field);
        } else if (alias.isEmpty()) {
            throw new InvalidInputException("alias", "expected a non-empty string");
        }

        JsonNode parameters = node.get("parameters");
        Double p = null;
        Double interval = null;
        Integer buckets = null;
        String groupBy = null;
        if (parameters != null && !parameters.isNull()) {
            if (!parameters.isObject()) {
                throw new InvalidInputException("parameters", "expected an object");
            }
            Set<String> accepted = switch (function) {
                case PERCENTILE -> Set.of("p", "group_by");
                case HISTOGRAM -> Set.of("interval", "buckets", "group_by");
                default -> Set.of("group_by");
            };
            QueryJson.onlyKeys(parameters, "parameters", accepted);
            for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String at = "parameters." + e.getKey();
                switch (e.getKey()) {
                    case "p" -> p = number(e.getValue(), at, 0, 100, "a number from 0 to 100");
                    case "interval" -> interval = number(e.getValue(), at, Double.MIN_VALUE, Double.MAX_VALUE,
                            "a number greater than 0");
                    case "buckets" -> buckets = wholeBuckets(e.getValue(), at);
                    default -> groupBy = groupBy(e.getValue(), at);
                }
            }
        }
        if (function == Function.PERCENTILE && p == null) {
            throw new InvalidInputException("parameters.p", "Percentile needs a number from 0 to 100");
        }
        if (interval != null && buckets != null) {
            throw new InvalidInputException("parameters", "give either interval or buckets, not both");
        }
        return new AggregationSpec(field, function, alias, p, interval, buckets, groupBy);
    }

    /** A number, also accepted as a decimal string (the seed's parameters may be a string map). */
    private static double number(JsonNode value, String path, double min, double max, String expected) {
        double d = Fields.number(value);
        if (value.isBoolean() || Double.isNaN(d) || d < min || d > max) {
            throw new InvalidInputException(path, "expected " + expected + ", got " + value);
        }
        return d;
    }

    private static int wholeBuckets(JsonNode value, String path) {
        String expected = "a whole number from 1 to " + MAX_BUCKETS;
        double d = number(value, path, 1, MAX_BUCKETS, expected);
        if (d != Math.rint(d)) {
            throw new InvalidInputException(path, "expected " + expected + ", got " + value);
        }
        return (int) d;
    }

    private static String groupBy(JsonNode value, String path) {
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw new InvalidInputException(path, "expected a non-empty field path");
        }
        return value.textValue();
    }
}
