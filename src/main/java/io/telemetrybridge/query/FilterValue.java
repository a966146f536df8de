package io.telemetrybridge.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.error.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The typed value of a filter, written as serde writes the seed's enum: {@code {"String": s}},
 * {@code {"Number": f64}}, {@code {"Boolean": b}}, {@code {"Array": [ <typed values> ]}} or {@code "Null"}.
 * Source: docs/queries.md, "Operators".
 */
public sealed interface FilterValue {

    /** The value's text form, compared with a field's text form ({@link Fields#text}); null for Null. */
    String text();

    /** A string value. */
    record StringValue(String value) implements FilterValue {
        public String text() { return value; }
    }

    /** A number (f64 in the seed); always finite. */
    /**
     * A number: as a double (the seed's f64) for speed, and exactly as written, so that values beyond a double's
     * 53 bits (9007199254740993, a uint64 counter) or decimals that round alike are still told apart.
     */
    record NumberValue(double value, java.math.BigDecimal exact) implements FilterValue {
        NumberValue(double value) {
            this(value, java.math.BigDecimal.valueOf(value));
        }

        public String text() { return Fields.numberText(value); }

        /** Equal by value: {@code 1}, {@code 1.0} and {@code 1e0} are one number. */
        @Override
        public boolean equals(Object o) {
            return o instanceof NumberValue n && exact.compareTo(n.exact) == 0;
        }

        @Override
        public int hashCode() {
            return exact.stripTrailingZeros().hashCode();
        }
    }

    /** A boolean value. */
    record BooleanValue(boolean value) implements FilterValue {
        public String text() { return Boolean.toString(value); }
    }

    /** A list of scalar values, for In, NotIn and element-wise Equals. */
    record ArrayValue(List<FilterValue> elements) implements FilterValue {
        public ArrayValue {
            elements = List.copyOf(elements);
        }

        public String text() { return null; }
    }

    /** The seed's {@code "Null"}: matches an absent field or a JSON null. */
    record NullValue() implements FilterValue {
        public String text() { return null; }
    }

    /**
     * Reads a typed value. Array elements may be typed values or, for convenience, plain JSON scalars
     * ({@code ["a", 1, true, null]}); a JSON null reads as Null.
     *
     * @throws InvalidInputException with a path relative to the value ({@code ""} or {@code "Array[2]"})
     */
    static FilterValue parse(JsonNode node) {
        return parse(node, false, "");
    }

    private static FilterValue parse(JsonNode node, boolean element, String path) {
        if (node == null || node.isNull() || (node.isTextual() && node.textValue().equals("Null"))) {
            return new NullValue();
        }
        if (element && !node.isContainerNode()) {
            if (node.isTextual()) {
                return new StringValue(node.textValue());
            }
            if (node.isNumber()) {
                return number(node, path);
            }
            if (node.isBoolean()) {
                return new BooleanValue(node.booleanValue());
            }
        }
        if (!node.isObject() || node.size() != 1) {
            throw new InvalidInputException(path, "expected one of {\"String\": s}, {\"Number\": n}, "
                    + "{\"Boolean\": b}, {\"Array\": [...]} or \"Null\"");
        }
        Map.Entry<String, JsonNode> only = node.fields().next();
        JsonNode inner = only.getValue();
        String at = path.isEmpty() ? only.getKey() : path + "." + only.getKey();
        switch (only.getKey()) {
            case "String" -> {
                if (!inner.isTextual()) {
                    throw new InvalidInputException(at, "expected a string");
                }
                return new StringValue(inner.textValue());
            }
            case "Number" -> {
                return number(inner, at);
            }
            case "Boolean" -> {
                if (!inner.isBoolean()) {
                    throw new InvalidInputException(at, "expected true or false");
                }
                return new BooleanValue(inner.booleanValue());
            }
            case "Array" -> {
                if (element) {
                    throw new InvalidInputException(at, "arrays cannot be nested");
                }
                if (!inner.isArray()) {
                    throw new InvalidInputException(at, "expected an array");
                }
                List<FilterValue> elements = new ArrayList<>(inner.size());
                for (int i = 0; i < inner.size(); i++) {
                    elements.add(parse(inner.get(i), true, at + "[" + i + "]"));
                }
                return new ArrayValue(elements);
            }
            default -> throw new InvalidInputException(path, "unknown value type \"" + only.getKey()
                    + "\": expected String, Number, Boolean, Array or \"Null\"");
        }
    }

    private static NumberValue number(JsonNode node, String path) {
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
            throw new InvalidInputException(path, "expected a finite number");
        }
        return new NumberValue(node.doubleValue(), node.decimalValue());
    }
}
