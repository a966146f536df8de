package io.telemetrybridge.query;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The comparison a filter applies, with the value type it needs. Wire names are the seed's variant names
 * ({@code "Equals"}, {@code "GreaterThanOrEqual"}, ...), matched exactly. Source: docs/queries.md, "Operators".
 */
public enum Operator {
    EQUALS("Equals", Needs.ANY),
    NOT_EQUALS("NotEquals", Needs.ANY),
    CONTAINS("Contains", Needs.STRING),
    NOT_CONTAINS("NotContains", Needs.STRING),
    GREATER_THAN("GreaterThan", Needs.NUMBER_OR_STRING),
    GREATER_THAN_OR_EQUAL("GreaterThanOrEqual", Needs.NUMBER_OR_STRING),
    LESS_THAN("LessThan", Needs.NUMBER_OR_STRING),
    LESS_THAN_OR_EQUAL("LessThanOrEqual", Needs.NUMBER_OR_STRING),
    IN("In", Needs.ARRAY),
    NOT_IN("NotIn", Needs.ARRAY),
    EXISTS("Exists", Needs.NOTHING),
    NOT_EXISTS("NotExists", Needs.NOTHING),
    STARTS_WITH("StartsWith", Needs.STRING),
    ENDS_WITH("EndsWith", Needs.STRING),
    REGEX("Regex", Needs.STRING);

    /** The value types an operator accepts; {@code NOTHING} means the value is optional and ignored. */
    enum Needs {
        ANY(null), STRING("a String"), NUMBER_OR_STRING("a Number or String"), ARRAY("an Array"), NOTHING(null);

        private final String description;

        Needs(String description) {
            this.description = description;
        }
    }

    private final String wireName;
    private final Needs needs;

    Operator(String wireName, Needs needs) {
        this.wireName = wireName;
        this.needs = needs;
    }

    /** The seed's name for this operator, as written on the wire. */
    public String wireName() { return wireName; }

    /** Whether the filter value may be omitted (Exists and NotExists ignore it). */
    public boolean ignoresValue() { return needs == Needs.NOTHING; }

    /**
     * Why {@code value} cannot be used with this operator, or null when it can; for example
     * {@code "Contains needs a String value"}. A missing value is only acceptable when {@link #ignoresValue()}.
     */
    String refusal(FilterValue value) {
        if (needs == Needs.NOTHING) {
            return null;
        }
        if (value == null) {
            return wireName + " needs a value";
        }
        boolean ok = switch (needs) {
            case ANY, NOTHING -> true;
            case STRING -> value instanceof FilterValue.StringValue;
            case NUMBER_OR_STRING -> value instanceof FilterValue.StringValue || value instanceof FilterValue.NumberValue;
            case ARRAY -> value instanceof FilterValue.ArrayValue;
        };
        return ok ? null : wireName + " needs " + needs.description + " value";
    }

    /** The operator with this exact wire name, or null when there is none. */
    public static Operator of(String wireName) {
        for (Operator op : values()) {
            if (op.wireName.equals(wireName)) {
                return op;
            }
        }
        return null;
    }

    /** All wire names, comma separated, for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(Operator::wireName).collect(Collectors.joining(", "));
    }
}
