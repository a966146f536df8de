package io.telemetrybridge.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.query.FilterValue.StringValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryParserTest {

    private final QueryParser parser = new QueryParser(new ObjectMapper(), new QueryLimits(100, 1000, 5000));

    private QuerySpec parse(Signal signal, String json) {
        return parser.parse(signal, json.getBytes(StandardCharsets.UTF_8));
    }

    private AbstractThrowableAssert<?, ?> rejects(Signal signal, String json, String field) {
        return assertThatThrownBy(() -> parse(signal, json))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(field));
    }

    @Test
    void readsAMetricsQueryWithEveryField() {
        QuerySpec spec = parse(Signal.METRICS, """
                {"id": "q-1", "timestamp": "2025-01-01T00:00:00Z",
                 "time_range": {"start": "2025-01-01T10:00:00Z", "end": "2025-01-01T11:00:00.5Z"},
                 "filters": [{"field": "name", "operator": "Equals", "value": {"String": "cpu"}}],
                 "aggregations": [{"field": "value", "function": "Average"}],
                 "limit": 10, "offset": 20, "metadata": {"team": "core"}}""");

        assertThat(spec.queryId()).isEqualTo("q-1");
        assertThat(spec.signal()).isEqualTo(Signal.METRICS);
        assertThat(spec.start()).isEqualTo(Instant.parse("2025-01-01T10:00:00Z"));
        assertThat(spec.endNanos()).isEqualTo(Instant.parse("2025-01-01T11:00:00Z").getEpochSecond() * 1_000_000_000L
                + 500_000_000L);
        assertThat(spec.filters()).containsExactly(FieldFilter.of("name", Operator.EQUALS, new StringValue("cpu")));
        assertThat(spec.aggregations()).singleElement()
                .satisfies(a -> assertThat(a.alias()).isEqualTo("average_value"));
        assertThat(spec.limit()).isEqualTo(10);
        assertThat(spec.offset()).isEqualTo(20);
        assertThat(spec.traceId()).isNull();
        assertThat(spec.metadata()).containsExactly(Map.entry("team", "core"));
    }

    @Test
    void anEmptyObjectGetsDefaultsAndARandomId() {
        QuerySpec spec = parse(Signal.LOGS, "{}");

        assertThat(spec.queryId()).matches("[0-9a-f-]{36}");
        assertThat(spec.start()).isNull();
        assertThat(spec.startNanos()).isEqualTo(Long.MIN_VALUE);
        assertThat(spec.endNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(spec.filters()).isEmpty();
        assertThat(spec.aggregations()).isEmpty();
        assertThat(spec.limit()).isEqualTo(100);
        assertThat(spec.offset()).isZero();
        assertThat(spec.metadata()).isEmpty();
    }

    @Test
    void convertsATimeRangeWithAnOffsetToUtc() {
        QuerySpec spec = parse(Signal.METRICS, "{\"time_range\": {\"start\": \"2025-01-01T12:00:00+02:00\"}}");

        assertThat(spec.start()).isEqualTo(Instant.parse("2025-01-01T10:00:00Z"));
        assertThat(spec.end()).isNull();
    }

    @Test
    void timeRangeIncludesItsStartAndExcludesItsEnd() {
        QuerySpec spec = parse(Signal.METRICS, """
                {"time_range": {"start": "1970-01-01T00:00:01Z", "end": "1970-01-01T00:00:02Z"}}""");

        assertThat(spec.inTimeRange(999_999_999L)).isFalse();
        assertThat(spec.inTimeRange(1_000_000_000L)).isTrue();
        assertThat(spec.inTimeRange(1_999_999_999L)).isTrue();
        assertThat(spec.inTimeRange(2_000_000_000L)).isFalse();
        assertThat(spec.inTimeRange(Long.MIN_VALUE)).as("a record without a time").isFalse();
    }

    @Test
    void rejectsAStartThatIsNotBeforeTheEnd() {
        rejects(Signal.METRICS, """
                {"time_range": {"start": "2025-01-01T10:00:00Z", "end": "2025-01-01T12:00:00+02:00"}}""",
                "time_range").hasMessageContaining("is not before end");
    }

    @Test
    void rejectsATimestampThatIsNotRfc3339() {
        rejects(Signal.METRICS, "{\"timestamp\": \"yesterday\"}", "timestamp").hasMessageContaining("RFC 3339");
        rejects(Signal.METRICS, "{\"time_range\": {\"end\": 1700000000}}", "time_range.end");
    }

    @Test
    void rejectsMalformedJsonWithAShortMessage() {
        rejects(Signal.METRICS, "{\"limit\": 10,", "")
                .hasMessageStartingWith("malformed JSON")
                .hasMessageNotContaining("Source:")
                .hasMessageNotContaining("\tat ");
    }

    @Test
    void rejectsABodyThatIsNotAnObject() {
        rejects(Signal.METRICS, "[1, 2]", "").hasMessage("expected a JSON object");
        rejects(Signal.METRICS, "", "").hasMessage("expected a JSON object");
    }

    @Test
    void rejectsARepeatedKey() {
        rejects(Signal.METRICS, "{\"limit\": 1, \"limit\": 2}", "").hasMessageContaining("limit");
    }

    @Test
    void rejectsAnUnknownTopLevelFieldListingTheAcceptedOnes() {
        rejects(Signal.METRICS, "{\"limt\": 10}", "limt")
                .hasMessageContaining("id, timestamp, time_range, filters, aggregations, limit, offset, metadata");
    }

    @Test
    void rejectsTraceFieldsOnAMetricsQuery() {
        rejects(Signal.METRICS, "{\"trace_id\": \"5b8efff798038103d269b633813fc60c\"}", "trace_id");
        rejects(Signal.TRACES, "{\"log_level\": \"Info\"}", "log_level");
    }

    @Test
    void rejectsAnUnknownOperatorNamingTheFieldAndListingTheOperators() {
        rejects(Signal.METRICS, """
                {"filters": [{"field": "name", "operator": "Equals", "value": {"String": "a"}},
                             {"field": "name", "operator": "Like", "value": {"String": "a"}}]}""",
                "filters[1].operator")
                .hasMessageContaining("Equals, NotEquals, Contains, NotContains, GreaterThan, GreaterThanOrEqual, "
                        + "LessThan, LessThanOrEqual, In, NotIn, Exists, NotExists, StartsWith, EndsWith, Regex");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Contains         | {\"Number\": 1}      | Contains needs a String value",
        "Regex            | {\"Boolean\": true}  | Regex needs a String value",
        "GreaterThan      | {\"Boolean\": true}  | GreaterThan needs a Number or String value",
        "In               | {\"String\": \"a\"}  | In needs an Array value",
        "NotIn            | \"Null\"             | NotIn needs an Array value",
    })
    void rejectsAValueOfTheWrongTypeForTheOperator(String operator, String value, String message) {
        rejects(Signal.METRICS, "{\"filters\": [{\"field\": \"f\", \"operator\": \"" + operator + "\", \"value\": "
                + value + "}]}", "filters[0].value").hasMessage("filters[0].value: " + message);
    }

    @Test
    void rejectsAMissingValueExceptForExists() {
        rejects(Signal.METRICS, "{\"filters\": [{\"field\": \"f\", \"operator\": \"Equals\"}]}", "filters[0].value");

        QuerySpec spec = parse(Signal.METRICS, "{\"filters\": [{\"field\": \"f\", \"operator\": \"Exists\"}]}");
        assertThat(spec.filters()).singleElement().satisfies(f -> assertThat(f.value()).isNull());
    }

    @Test
    void rejectsAnUntypedValueAndAnUntypedArrayElementPointsIntoTheArray() {
        rejects(Signal.METRICS, "{\"filters\": [{\"field\": \"f\", \"operator\": \"Equals\", \"value\": \"cpu\"}]}",
                "filters[0].value").hasMessageContaining("{\"String\": s}");
        rejects(Signal.METRICS, """
                {"filters": [{"field": "f", "operator": "In", "value": {"Array": ["a", {"Text": "b"}]}}]}""",
                "filters[0].value.Array[1]");
    }

    @Test
    void acceptsPlainScalarsAsArrayElements() {
        QuerySpec spec = parse(Signal.METRICS, """
                {"filters": [{"field": "f", "operator": "In", "value": {"Array": ["a", 1, true, {"String": "b"}]}}]}""");

        assertThat(spec.filters().get(0).value()).isEqualTo(new FilterValue.ArrayValue(java.util.List.of(
                new StringValue("a"), new FilterValue.NumberValue(1), new FilterValue.BooleanValue(true),
                new StringValue("b"))));
    }

    @Test
    void rejectsAnInvalidRegularExpression() {
        rejects(Signal.LOGS, "{\"filters\": [{\"field\": \"message\", \"operator\": \"Regex\", \"value\": "
                + "{\"String\": \"(unclosed\"}}]}", "filters[0].value")
                .hasMessageStartingWith("filters[0].value: invalid regular expression: ");
    }

    @Test
    void rejectsAnEmptyFilterField() {
        rejects(Signal.METRICS, "{\"filters\": [{\"field\": \"\", \"operator\": \"Exists\"}]}", "filters[0].field");
    }

    @Test
    void rejectsALimitOutsideItsRange() {
        rejects(Signal.METRICS, "{\"limit\": 1001}", "limit").hasMessageContaining("0 to 1000");
        rejects(Signal.METRICS, "{\"limit\": -1}", "limit");
        rejects(Signal.METRICS, "{\"limit\": 2.5}", "limit");
        rejects(Signal.METRICS, "{\"limit\": \"10\"}", "limit");
        assertThat(parse(Signal.METRICS, "{\"limit\": 0}").limit()).isZero();
    }

    @Test
    void rejectsAnOffsetBeyondTheResultWindowNamingTheWindow() {
        assertThat(parse(Signal.METRICS, "{\"limit\": 1000, \"offset\": 4000}").offset()).isEqualTo(4000);
        rejects(Signal.METRICS, "{\"limit\": 1000, \"offset\": 4001}", "offset").hasMessageContaining("5000");
        rejects(Signal.METRICS, "{\"offset\": -1}", "offset");
    }

    @Test
    void rejectsMetadataThatIsNotAMapOfStrings() {
        rejects(Signal.METRICS, "{\"metadata\": {\"n\": 1}}", "metadata.n");
    }

    @Test
    void turnsTraceFieldsIntoEqualsFiltersAndLowerCasesTheTraceId() {
        QuerySpec spec = parse(Signal.TRACES, """
                {"trace_id": "5B8EFFF798038103D269B633813FC60C", "span_id": "EEE19B7EC3C1B174",
                 "service_name": "checkout", "operation_name": "GET /cart"}""");

        assertThat(spec.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(spec.filters()).containsExactly(
                FieldFilter.equalsText("trace_id", "5b8efff798038103d269b633813fc60c"),
                FieldFilter.equalsText("span_id", "eee19b7ec3c1b174"),
                FieldFilter.equalsText("service", "checkout"),
                FieldFilter.equalsText("name", "GET /cart"));
    }

    @Test
    void rejectsMalformedOrAllZeroTraceIds() {
        rejects(Signal.TRACES, "{\"trace_id\": \"5b8efff798038103d269b633813fc60\"}", "trace_id");
        rejects(Signal.TRACES, "{\"trace_id\": \"00000000000000000000000000000000\"}", "trace_id")
                .hasMessageContaining("all-zero");
        rejects(Signal.TRACES, "{\"span_id\": \"eee19b7ec3c1b17g\"}", "span_id");
    }

    @Test
    void turnsLogFieldsIntoEqualsFiltersWithTheCanonicalLevel() {
        QuerySpec spec = parse(Signal.LOGS, "{\"log_level\": \"wArN\", \"service_name\": \"api\"}");

        assertThat(spec.filters()).containsExactly(
                FieldFilter.equalsText("level", "Warn"), FieldFilter.equalsText("service", "api"));
        rejects(Signal.LOGS, "{\"log_level\": \"Verbose\"}", "log_level")
                .hasMessageContaining("Trace, Debug, Info, Warn, Error, Fatal");
    }

    @Test
    void acceptsAggregationsOnEverySignal() {
        QuerySpec spec = parse(Signal.TRACES, """
                {"aggregations": [{"field": "duration_ms", "function": "Percentile", "parameters": {"p": 99}},
                                  {"field": "*", "function": "Count"},
                                  {"field": "duration_ms", "function": "Histogram", "alias": "h",
                                   "parameters": {"interval": 10, "group_by": "service"}}]}""");

        assertThat(spec.aggregations()).extracting(AggregationSpec::alias)
                .containsExactly("percentile_duration_ms", "count", "h");
        assertThat(spec.aggregations().get(0).percentile()).isEqualTo(99);
        assertThat(spec.aggregations().get(2).interval()).isEqualTo(10);
        assertThat(spec.aggregations().get(2).groupBy()).isEqualTo("service");
    }

    @Test
    void histogramWithoutParametersHasTenBuckets() {
        QuerySpec spec = parse(Signal.METRICS, "{\"aggregations\": [{\"field\": \"value\", \"function\": \"Histogram\"}]}");

        assertThat(spec.aggregations().get(0).buckets()).isEqualTo(10);
    }

    @Test
    void rejectsAPercentileWithoutPOrOutOfRange() {
        String prefix = "{\"aggregations\": [{\"field\": \"value\", \"function\": \"Count\"}, "
                + "{\"field\": \"value\", \"function\": \"Sum\"}, {\"field\": \"value\", \"function\": \"Percentile\"";
        rejects(Signal.METRICS, prefix + "}]}", "aggregations[2].parameters.p");
        rejects(Signal.METRICS, prefix + ", \"parameters\": {\"p\": 100.5}}]}", "aggregations[2].parameters.p");
    }

    @Test
    void rejectsAnUnknownFunctionListingTheFunctions() {
        rejects(Signal.METRICS, "{\"aggregations\": [{\"field\": \"value\", \"function\": \"Mean\"}]}",
                "aggregations[0].function")
                .hasMessageContaining("Count, Sum, Average, Min, Max, Median, Percentile, Histogram, Cardinality");
    }

    @Test
    void rejectsADuplicateAliasEvenWhenDefaulted() {
        rejects(Signal.METRICS, """
                {"aggregations": [{"field": "value", "function": "Average"},
                                  {"field": "value", "function": "Average"}]}""", "aggregations[1].alias");
    }

    @Test
    void rejectsUnknownOrConflictingAggregationParameters() {
        rejects(Signal.METRICS, """
                {"aggregations": [{"field": "value", "function": "Sum", "parameters": {"p": 50}}]}""",
                "aggregations[0].parameters.p");
        rejects(Signal.METRICS, """
                {"aggregations": [{"field": "value", "function": "Histogram",
                                   "parameters": {"interval": 5, "buckets": 3}}]}""", "aggregations[0].parameters");
        rejects(Signal.METRICS, """
                {"aggregations": [{"field": "value", "function": "Histogram", "parameters": {"buckets": 1001}}]}""",
                "aggregations[0].parameters.buckets");
        rejects(Signal.METRICS, """
                {"aggregations": [{"field": "value", "function": "Histogram", "parameters": {"interval": 0}}]}""",
                "aggregations[0].parameters.interval");
    }

    @Test
    void onlyCountMayUseTheWholeRecordAsItsField() {
        rejects(Signal.METRICS, "{\"aggregations\": [{\"field\": \"*\", \"function\": \"Sum\"}]}",
                "aggregations[0].field");
    }

    @Test
    void readsTheGetFormIntoTheSameFilters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("service", "checkout");
        parameters.put("name", "GET /cart");
        parameters.put("trace_id", "5B8EFFF798038103D269B633813FC60C");
        parameters.put("from", "1000");
        parameters.put("to", "2025-01-01T00:00:00Z");
        parameters.put("limit", "5");
        parameters.put("offset", "10");

        QuerySpec spec = parser.fromParameters(Signal.TRACES, parameters);

        assertThat(spec.filters()).containsExactlyInAnyOrder(
                FieldFilter.equalsText("service", "checkout"), FieldFilter.equalsText("name", "GET /cart"),
                FieldFilter.equalsText("trace_id", "5b8efff798038103d269b633813fc60c"));
        assertThat(spec.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(spec.start()).isEqualTo(Instant.ofEpochSecond(1));
        assertThat(spec.end()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(spec.limit()).isEqualTo(5);
        assertThat(spec.offset()).isEqualTo(10);
    }

    @Test
    void getFormLevelIsForLogsOnly() {
        assertThat(parser.fromParameters(Signal.LOGS, Map.of("level", "error")).filters())
                .containsExactly(FieldFilter.equalsText("level", "Error"));
        assertThatThrownBy(() -> parser.fromParameters(Signal.LOGS, Map.of("name", "x")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("name: unknown parameter");
        assertThatThrownBy(() -> parser.fromParameters(Signal.METRICS, Map.of("level", "Info")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("level: unknown parameter");
    }

    @ParameterizedTest
    @CsvSource({
        "limt, 10",
        "limit, 1001",
        "limit, ten",
        "offset, 4901",
        "from, yesterday",
        "trace_id, 00000000000000000000000000000000",
        "service, ''",
    })
    void rejectsABadGetParameterNamingIt(String key, String value) {
        assertThatThrownBy(() -> parser.fromParameters(Signal.TRACES, Map.of(key, value)))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo(key));
    }

    @Test
    void rejectsAGetRangeThatIsEmpty() {
        assertThatThrownBy(() -> parser.fromParameters(Signal.METRICS, Map.of("from", "2000", "to", "1000")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("from: ");
    }

    @Test
    void limitsAreValidatedWhenBuilt() {
        assertThatThrownBy(() -> new QueryLimits(0, 10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueryLimits(20, 10, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueryLimits(10, 100, 50)).isInstanceOf(IllegalArgumentException.class);
    }
}
