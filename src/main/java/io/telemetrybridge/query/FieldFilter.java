package io.telemetrybridge.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.query.FilterValue.ArrayValue;
import io.telemetrybridge.query.FilterValue.BooleanValue;
import io.telemetrybridge.query.FilterValue.NullValue;
import io.telemetrybridge.query.FilterValue.NumberValue;
import io.telemetrybridge.query.FilterValue.StringValue;
import java.time.Instant;
import java.util.Objects;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * One filter of a query, {@code {field, operator, value}} (docs/queries.md, "Operators"), tested against a
 * stored record. The field is resolved with {@link Fields#resolve}; "text" is {@link Fields#text} and "numeric"
 * {@link Fields#number} (a JSON number or a string holding a decimal number).
 * <ul>
 * <li>Equals: Null matches an absent field or JSON null; String matches when the field's text equals it (the
 *     number 10 equals "10"); Number when the field is numeric and equal; Boolean when the field is a boolean,
 *     or the string "true"/"false", and equal; Array when the field is an array of the same length whose
 *     elements' texts equal the values' texts. NotEquals is the negation (so it matches an absent field).</li>
 * <li>Contains: the field's text contains the string, or the field is an array with an element whose text
 *     equals it. NotContains is the negation (an absent field matches).</li>
 * <li>GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual: with a Number, numeric comparison, false
 *     for an absent or non-numeric field; with a String, instants are compared when both the value and the
 *     field's text are RFC 3339 date-times, otherwise the texts ({@link String#compareTo}).</li>
 * <li>In: Equals for any element; NotIn is the negation. Exists: present and not JSON null; NotExists is the
 *     negation.</li>
 * <li>StartsWith, EndsWith, Regex ({@link java.util.regex.Matcher#find}): on the field's text; false when
 *     absent. Regex uses RE2 syntax and runs in linear time (no backreferences or look-around), so no pattern can make a scan backtrack for minutes.</li>
 * </ul>
 */
public final class FieldFilter {

    private final String field;
    private final Operator operator;
    private final FilterValue value;
    private final Pattern pattern;
    private final Instant instant;

    private FieldFilter(String field, Operator operator, FilterValue value, Pattern pattern, Instant instant) {
        this.field = field;
        this.operator = operator;
        this.value = value;
        this.pattern = pattern;
        this.instant = instant;
    }

    /**
     * A filter, with its value checked against the operator and a Regex compiled once.
     *
     * @param value may be null only for Exists and NotExists
     * @throws InvalidInputException on path {@code field} or {@code value} (relative to the filter) when the
     *         field is empty, the value has the wrong type or the pattern does not compile
     */
    public static FieldFilter of(String field, Operator operator, FilterValue value) {
        Objects.requireNonNull(operator, "operator");
        if (field == null || field.isEmpty()) {
            throw new InvalidInputException("field", "expected a non-empty field path");
        }
        String refusal = operator.refusal(value);
        if (refusal != null) {
            throw new InvalidInputException("value", refusal);
        }
        Pattern pattern = null;
        if (operator == Operator.REGEX) {
            try {
                pattern = Pattern.compile(((StringValue) value).value());
            } catch (PatternSyntaxException e) {
                throw new InvalidInputException("value", "invalid regular expression: " + e.getDescription()
                        + " in '" + e.getPattern() + "'");
            }
        }
        Instant instant = value instanceof StringValue s ? EventTimes.parse(s.value()) : null;
        return new FieldFilter(field, operator, operator.ignoresValue() ? null : value, pattern, instant);
    }

    /** A filter that keeps records whose {@code field} equals {@code text}. */
    public static FieldFilter equalsText(String field, String text) {
        return of(field, Operator.EQUALS, new StringValue(text));
    }

    public String field() { return field; }

    public Operator operator() { return operator; }

    /** The value, or null for Exists and NotExists. */
    public FilterValue value() { return value; }

    /** Whether the record passes this filter. */
    public boolean test(JsonNode record) {
        JsonNode node = Fields.resolve(record, field);
        return switch (operator) {
            case EQUALS -> same(node, value);
            case NOT_EQUALS -> !same(node, value);
            case CONTAINS -> contains(node);
            case NOT_CONTAINS -> !contains(node);
            case GREATER_THAN -> compare(node, c -> c > 0);
            case GREATER_THAN_OR_EQUAL -> compare(node, c -> c >= 0);
            case LESS_THAN -> compare(node, c -> c < 0);
            case LESS_THAN_OR_EQUAL -> compare(node, c -> c <= 0);
            case IN -> in(node);
            case NOT_IN -> !in(node);
            case EXISTS -> node != null;
            case NOT_EXISTS -> node == null;
            case STARTS_WITH -> onText(node, t -> t.startsWith(string()));
            case ENDS_WITH -> onText(node, t -> t.endsWith(string()));
            case REGEX -> onText(node, t -> pattern.matcher(t).find());
        };
    }

    private static boolean onText(JsonNode node, Predicate<String> test) {
        String text = Fields.text(node);
        return text != null && test.test(text);
    }

    private static boolean same(JsonNode node, FilterValue value) {
        if (value instanceof NullValue) {
            return node == null;
        }
        if (node == null) {
            return false;
        }
        if (value instanceof StringValue s) {
            return s.value().equals(Fields.text(node));
        }
        if (value instanceof NumberValue n) {
            Integer c = Fields.compare(node, n);
            return c != null && c == 0;
        }
        if (value instanceof BooleanValue b) {
            return node.isBoolean() ? node.booleanValue() == b.value()
                    : node.isTextual() && node.textValue().equals(Boolean.toString(b.value()));
        }
        ArrayValue array = (ArrayValue) value;
        if (!node.isArray() || node.size() != array.elements().size()) {
            return false;
        }
        for (int i = 0; i < node.size(); i++) {
            if (!Objects.equals(Fields.text(node.get(i)), array.elements().get(i).text())) {
                return false;
            }
        }
        return true;
    }

    private boolean contains(JsonNode node) {
        if (node != null && node.isArray()) {
            for (JsonNode element : node) {
                if (string().equals(Fields.text(element))) {
                    return true;
                }
            }
            return false;
        }
        return onText(node, t -> t.contains(string()));
    }

    private boolean compare(JsonNode node, IntPredicate accept) {
        if (node == null) {
            return false;
        }
        if (value instanceof NumberValue n) {
            Integer c = Fields.compare(node, n);
            return c != null && accept.test(c);
        }
        String text = Fields.text(node);
        if (text == null) {
            return false;
        }
        Instant fieldInstant = instant == null ? null : EventTimes.parse(text);
        return accept.test(fieldInstant != null ? fieldInstant.compareTo(instant) : text.compareTo(string()));
    }

    private boolean in(JsonNode node) {
        for (FilterValue element : ((ArrayValue) value).elements()) {
            if (same(node, element)) {
                return true;
            }
        }
        return false;
    }

    private String string() {
        return ((StringValue) value).value();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldFilter f && field.equals(f.field) && operator == f.operator
                && Objects.equals(value, f.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(field, operator, value);
    }

    @Override
    public String toString() {
        return field + " " + operator.wireName() + (value == null ? "" : " " + value);
    }
}
