package io.telemetrybridge.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.query.FilterValue.ArrayValue;
import io.telemetrybridge.query.FilterValue.BooleanValue;
import io.telemetrybridge.query.FilterValue.NullValue;
import io.telemetrybridge.query.FilterValue.NumberValue;
import io.telemetrybridge.query.FilterValue.StringValue;
import io.telemetrybridge.support.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldFilterTest {

    private static final JsonNode LOG = Json.tree("""
            {"timestamp": "2025-01-01T12:00:00Z", "level": "Warn", "message": "disk almost full on /var",
             "count": 10, "ratio": 2.5, "ok": true, "gone": null, "tags": ["a", "b", "10"],
             "attributes": {"retries": "10", "flag": "true", "when": "2025-01-01T12:00:00+02:00"}}""");

    private static boolean test(String field, Operator operator, FilterValue value) {
        return FieldFilter.of(field, operator, value).test(LOG);
    }

    private static StringValue s(String text) {
        return new StringValue(text);
    }

    @Test
    void equalsStringComparesTheFieldsTextSoTheNumber10Equals10() {
        assertThat(test("count", Operator.EQUALS, s("10"))).isTrue();
        assertThat(test("ratio", Operator.EQUALS, s("2.5"))).isTrue();
        assertThat(test("attributes.retries", Operator.EQUALS, s("10"))).isTrue();
        assertThat(test("level", Operator.EQUALS, s("warn"))).as("case matters").isFalse();
    }

    /** Numbers a double cannot tell apart (beyond 2^53) are still compared exactly; -0.0 equals 0. */
    @Test
    void numbersBeyondADoublesPrecisionAreComparedExactly() {
        JsonNode big = Json.tree("""
                {"n": 9007199254740993, "t": "9007199254740993", "u": 18446744073709551615, "z": -0.0}""");
        NumberValue exact = new NumberValue(9007199254740993d, new java.math.BigDecimal("9007199254740993"));
        NumberValue below = new NumberValue(9007199254740992d, new java.math.BigDecimal("9007199254740992"));
        assertThat(FieldFilter.of("n", Operator.EQUALS, exact).test(big)).isTrue();
        assertThat(FieldFilter.of("t", Operator.EQUALS, exact).test(big)).isTrue();
        assertThat(FieldFilter.of("n", Operator.EQUALS, below).test(big)).isFalse();
        assertThat(FieldFilter.of("n", Operator.GREATER_THAN, below).test(big)).isTrue();
        assertThat(FieldFilter.of("t", Operator.LESS_THAN_OR_EQUAL, below).test(big)).isFalse();
        NumberValue uint64Max = new NumberValue(1.8446744073709552E19, new java.math.BigDecimal("18446744073709551615"));
        assertThat(FieldFilter.of("u", Operator.EQUALS, uint64Max).test(big)).isTrue();
        assertThat(FieldFilter.of("u", Operator.LESS_THAN, uint64Max).test(big)).isFalse();
        assertThat(FieldFilter.of("z", Operator.EQUALS, new NumberValue(0)).test(big)).isTrue();
        assertThat(FieldFilter.of("z", Operator.GREATER_THAN_OR_EQUAL, new NumberValue(0)).test(big)).isTrue();
        // As a query writes it.
        FilterValue parsed = FilterValue.parse(Json.tree("{\"Number\": 9007199254740993}"));
        assertThat(FieldFilter.of("n", Operator.EQUALS, parsed).test(big)).isTrue();
        assertThat(FieldFilter.of("n", Operator.EQUALS, FilterValue.parse(Json.tree("{\"Number\": 9007199254740992}")))
                .test(big)).isFalse();
    }

    @Test
    void equalsNumberAcceptsNumbersAndNumericStrings() {
        assertThat(test("count", Operator.EQUALS, new NumberValue(10))).isTrue();
        assertThat(test("attributes.retries", Operator.EQUALS, new NumberValue(10.0))).isTrue();
        assertThat(test("level", Operator.EQUALS, new NumberValue(10))).isFalse();
    }

    @Test
    void equalsBooleanAcceptsBooleansAndTheirStrings() {
        assertThat(test("ok", Operator.EQUALS, new BooleanValue(true))).isTrue();
        assertThat(test("attributes.flag", Operator.EQUALS, new BooleanValue(true))).isTrue();
        assertThat(test("attributes.flag", Operator.EQUALS, new BooleanValue(false))).isFalse();
    }

    @Test
    void equalsNullMatchesAnAbsentFieldOrJsonNull() {
        assertThat(test("gone", Operator.EQUALS, new NullValue())).isTrue();
        assertThat(test("nowhere", Operator.EQUALS, new NullValue())).isTrue();
        assertThat(test("level", Operator.EQUALS, new NullValue())).isFalse();
        assertThat(test("level", Operator.NOT_EQUALS, new NullValue())).isTrue();
    }

    @Test
    void equalsArrayComparesElementsByText() {
        ArrayValue same = new ArrayValue(List.of(s("a"), s("b"), new NumberValue(10)));
        ArrayValue shorter = new ArrayValue(List.of(s("a"), s("b")));
        assertThat(test("tags", Operator.EQUALS, same)).isTrue();
        assertThat(test("tags", Operator.EQUALS, shorter)).isFalse();
    }

    @Test
    void notEqualsMatchesAnAbsentField() {
        assertThat(test("nowhere", Operator.NOT_EQUALS, s("x"))).isTrue();
        assertThat(test("level", Operator.NOT_EQUALS, s("Warn"))).isFalse();
    }

    @Test
    void containsLooksForASubstringOrAnArrayElement() {
        assertThat(test("message", Operator.CONTAINS, s("almost"))).isTrue();
        assertThat(test("tags", Operator.CONTAINS, s("b"))).isTrue();
        assertThat(test("tags", Operator.CONTAINS, s("ab"))).as("elements, not their concatenation").isFalse();
        assertThat(test("nowhere", Operator.CONTAINS, s(""))).isFalse();
        assertThat(test("nowhere", Operator.NOT_CONTAINS, s("x"))).isTrue();
        assertThat(test("message", Operator.NOT_CONTAINS, s("disk"))).isFalse();
    }

    @Test
    void comparesNumbersNumericallyAndIgnoresNonNumericFields() {
        assertThat(test("count", Operator.GREATER_THAN, new NumberValue(9.5))).isTrue();
        assertThat(test("count", Operator.GREATER_THAN, new NumberValue(10))).isFalse();
        assertThat(test("count", Operator.GREATER_THAN_OR_EQUAL, new NumberValue(10))).isTrue();
        assertThat(test("attributes.retries", Operator.LESS_THAN, new NumberValue(100))).as("numeric, not text")
                .isTrue();
        assertThat(test("count", Operator.LESS_THAN_OR_EQUAL, new NumberValue(10))).isTrue();
        assertThat(test("level", Operator.LESS_THAN, new NumberValue(100))).isFalse();
        assertThat(test("nowhere", Operator.LESS_THAN, new NumberValue(100))).isFalse();
    }

    @Test
    void comparesRfc3339StringsAsInstantsAcrossOffsets() {
        // 12:00+02:00 is 10:00Z: earlier than 11:00Z, although its text sorts after it.
        assertThat(test("attributes.when", Operator.GREATER_THAN, s("2025-01-01T11:00:00Z"))).isFalse();
        assertThat(test("attributes.when", Operator.LESS_THAN, s("2025-01-01T11:00:00Z"))).isTrue();
        assertThat(test("attributes.when", Operator.GREATER_THAN_OR_EQUAL, s("2025-01-01T10:00:00Z"))).isTrue();
        assertThat(test("timestamp", Operator.LESS_THAN, s("2025-01-01T12:00:00.000000001Z"))).isTrue();
    }

    @Test
    void comparesOtherStringsByText() {
        assertThat(test("level", Operator.GREATER_THAN, s("Info"))).isTrue();
        assertThat(test("level", Operator.LESS_THAN, s("Error"))).isFalse();
        assertThat(test("attributes.retries", Operator.GREATER_THAN, s("9"))).as("text order: \"10\" < \"9\"")
                .isFalse();
    }

    @Test
    void inUsesTheEqualsRulesForEachElement() {
        ArrayValue values = new ArrayValue(List.of(s("Error"), new NumberValue(10), new NullValue()));
        assertThat(test("attributes.retries", Operator.IN, values)).isTrue();
        assertThat(test("nowhere", Operator.IN, values)).isTrue();
        assertThat(test("level", Operator.IN, values)).isFalse();
        assertThat(test("level", Operator.NOT_IN, values)).isTrue();
    }

    @Test
    void existsTreatsJsonNullAsAbsent() {
        assertThat(test("level", Operator.EXISTS, null)).isTrue();
        assertThat(test("gone", Operator.EXISTS, null)).isFalse();
        assertThat(test("nowhere", Operator.EXISTS, null)).isFalse();
        assertThat(test("gone", Operator.NOT_EXISTS, null)).isTrue();
        assertThat(test("attributes.flag", Operator.NOT_EXISTS, s("ignored"))).isFalse();
    }

    @Test
    void startsWithAndEndsWithReadTheFieldsText() {
        assertThat(test("message", Operator.STARTS_WITH, s("disk"))).isTrue();
        assertThat(test("message", Operator.ENDS_WITH, s("/var"))).isTrue();
        assertThat(test("count", Operator.STARTS_WITH, s("1"))).isTrue();
        assertThat(test("nowhere", Operator.STARTS_WITH, s(""))).isFalse();
    }

    @Test
    void regexFindsAMatchAnywhereInTheText() {
        assertThat(test("message", Operator.REGEX, s("full\\s+on"))).isTrue();
        assertThat(test("message", Operator.REGEX, s("^full"))).isFalse();
        assertThat(test("nowhere", Operator.REGEX, s(".*"))).isFalse();
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aPatternThatBacktracksForeverInJavaRegexAnswersAtOnce() {
        // (.*a){20}$ against 30 a's and a final mismatch takes tens of seconds with java.util.regex; RE2 is linear.
        JsonNode record = Json.tree("{\"message\": \"" + "a".repeat(30) + "!\"}");

        assertThat(FieldFilter.of("message", Operator.REGEX, s("(.*a){20}$")).test(record)).isFalse();
        assertThat(FieldFilter.of("message", Operator.REGEX, s("(.*a){20}!$")).test(record)).isTrue();
    }

    @Test
    void filtersOnTheVirtualServiceOfAnOtlpRecord() {
        JsonNode span = Json.resourceTree("golden/otlp/trace.records.json").get(0).get("value");

        assertThat(FieldFilter.equalsText("service", "my.service").test(span)).isTrue();
        assertThat(FieldFilter.of("duration_ms", Operator.GREATER_THAN_OR_EQUAL, new NumberValue(1000)).test(span))
                .isTrue();
    }
}
