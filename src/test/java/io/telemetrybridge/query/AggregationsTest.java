package io.telemetrybridge.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.telemetrybridge.query.AggregationSpec.Function;
import io.telemetrybridge.support.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregationsTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private static AggregationSpec spec(Function function, String field) {
        return new AggregationSpec(field, function, AggregationSpec.defaultAlias(function, field), null, null, null,
                null);
    }

    private ObjectNode run(List<AggregationSpec> specs, String... records) {
        Aggregations aggregations = new Aggregations(specs);
        for (String record : records) {
            aggregations.add(Json.tree(record));
        }
        return aggregations.result(mapper);
    }

    private static String gauge(double value) {
        return "{\"value\": {\"Gauge\": " + value + "}}";
    }

    @Test
    void percentileInterpolatesBetweenTheClosestRanks() {
        // By hand, numpy's default: sorted 15 20 35 40 50, p = 40 -> rank (5 - 1) * 0.4 = 1.6,
        // between 20 (rank 1) and 35 (rank 2): 20 + 0.6 * 15 = 29.
        AggregationSpec p40 = new AggregationSpec("value", Function.PERCENTILE, "p40", 40.0, null, null, null);
        AggregationSpec p0 = new AggregationSpec("value", Function.PERCENTILE, "p0", 0.0, null, null, null);
        AggregationSpec p100 = new AggregationSpec("value", Function.PERCENTILE, "p100", 100.0, null, null, null);

        ObjectNode result = run(List.of(p40, p0, p100), gauge(50), gauge(15), gauge(40), gauge(20), gauge(35));

        assertThat(result.at("/p40/value").doubleValue()).isEqualTo(29.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(result.at("/p0/value").doubleValue()).isEqualTo(15.0);
        assertThat(result.at("/p100/value").doubleValue()).isEqualTo(50.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        ObjectNode result = run(List.of(spec(Function.MEDIAN, "value")), gauge(4), gauge(1), gauge(3), gauge(2));

        assertThat(result.at("/median_value/value").doubleValue()).isEqualTo(2.5);
    }

    @Test
    void numericFunctionsSkipRecordsWithoutANumberAndReadNumericStrings() {
        List<AggregationSpec> specs = List.of(spec(Function.SUM, "attributes.n"), spec(Function.AVERAGE, "attributes.n"),
                spec(Function.MIN, "attributes.n"), spec(Function.MAX, "attributes.n"));

        ObjectNode result = run(specs, "{\"attributes\": {\"n\": \"2\"}}", "{\"attributes\": {\"n\": 4}}",
                "{\"attributes\": {\"n\": \"four\"}}", "{\"attributes\": {}}", "{\"attributes\": {\"n\": -3}}");

        // 2 + 4 + (-3) over 3 numeric records.
        assertThat(result.at("/sum_attributes.n/value").doubleValue()).isEqualTo(3.0);
        assertThat(result.at("/average_attributes.n/value").doubleValue()).isEqualTo(1.0);
        assertThat(result.at("/min_attributes.n/value").doubleValue()).isEqualTo(-3.0);
        assertThat(result.at("/max_attributes.n/value").doubleValue()).isEqualTo(4.0);
    }

    @Test
    void countCountsRecordsWhereTheFieldExistsOrAllOfThemForStar() {
        List<AggregationSpec> specs = List.of(spec(Function.COUNT, "level"), spec(Function.COUNT, "*"),
                new AggregationSpec("", Function.COUNT, "all", null, null, null, null));

        ObjectNode result = run(specs, "{\"level\": \"Info\"}", "{\"level\": null}", "{}");

        assertThat(result.at("/count_level/value").longValue()).isEqualTo(1);
        assertThat(result.at("/count/value").longValue()).isEqualTo(3);
        assertThat(result.at("/all/value").longValue()).isEqualTo(3);
    }

    @Test
    void cardinalityCountsDistinctTexts() {
        ObjectNode result = run(List.of(spec(Function.CARDINALITY, "attributes.code")),
                "{\"attributes\": {\"code\": \"10\"}}", "{\"attributes\": {\"code\": 10}}",
                "{\"attributes\": {\"code\": \"11\"}}", "{\"attributes\": {}}");

        assertThat(result.at("/cardinality_attributes.code/value").longValue()).isEqualTo(2);
    }

    @Test
    void emptyInputGivesZeroForCountsAndSumNullOtherwiseAndNoBuckets() {
        List<AggregationSpec> specs = List.of(spec(Function.COUNT, "value"), spec(Function.CARDINALITY, "value"),
                spec(Function.SUM, "value"), spec(Function.AVERAGE, "value"), spec(Function.MIN, "value"),
                spec(Function.MAX, "value"), spec(Function.MEDIAN, "value"), spec(Function.HISTOGRAM, "value"));

        ObjectNode result = run(specs);

        assertThat(result.at("/count_value/value").longValue()).isZero();
        assertThat(result.at("/cardinality_value/value").longValue()).isZero();
        assertThat(result.at("/sum_value/value").doubleValue()).isZero();
        assertThat(result.at("/average_value/value").isNull()).isTrue();
        assertThat(result.at("/min_value/value").isNull()).isTrue();
        assertThat(result.at("/max_value/value").isNull()).isTrue();
        assertThat(result.at("/median_value/value").isNull()).isTrue();
        Json.assertSameTree(Json.tree("[]"), result.at("/histogram_value/value"));
    }

    @Test
    void resultsFollowTheOrderOfTheSpecsWithFunctionAndField() {
        ObjectNode result = run(List.of(spec(Function.MAX, "value"), spec(Function.COUNT, "value")), gauge(1));

        assertThat(result.fieldNames()).toIterable().containsExactly("max_value", "count_value");
        Json.assertSameTree(Json.tree("{\"function\": \"Max\", \"field\": \"value\", \"value\": 1}"),
                result.get("max_value"));
    }

    @Test
    void histogramByIntervalKeysBucketsByTheirLowerBound() {
        AggregationSpec spec = new AggregationSpec("value", Function.HISTOGRAM, "h", null, 10.0, null, null);

        ObjectNode result = run(List.of(spec), gauge(0.5), gauge(1), gauge(9.5), gauge(10), gauge(25), gauge(-0.5));

        Json.assertSameTree(Json.tree("""
                [{"lower": -10, "upper": 0, "count": 1}, {"lower": 0, "upper": 10, "count": 3},
                 {"lower": 10, "upper": 20, "count": 1}, {"lower": 20, "upper": 30, "count": 1}]"""),
                result.at("/h/value"));
    }

    @Test
    void histogramByBucketCountSpansTheSmallestToTheLargestValue() {
        AggregationSpec spec = new AggregationSpec("value", Function.HISTOGRAM, "h", null, null, 4, null);

        // Width (8 - 0) / 4 = 2: [0,2) holds 0 and 1.5, [2,4) nothing, [4,6) 4, [6,8] 7.9 and 8.
        ObjectNode result = run(List.of(spec), gauge(0), gauge(1.5), gauge(4), gauge(7.9), gauge(8));

        Json.assertSameTree(Json.tree("""
                [{"lower": 0, "upper": 2, "count": 2}, {"lower": 2, "upper": 4, "count": 0},
                 {"lower": 4, "upper": 6, "count": 1}, {"lower": 6, "upper": 8, "count": 2}]"""),
                result.at("/h/value"));
    }

    @Test
    void histogramOfOneDistinctValueIsOneBucket() {
        ObjectNode result = run(List.of(spec(Function.HISTOGRAM, "value")), gauge(3), gauge(3));

        Json.assertSameTree(Json.tree("[{\"lower\": 3, \"upper\": 3, \"count\": 2}]"),
                result.at("/histogram_value/value"));
    }

    @Test
    void groupByGivesOneValuePerKeyWithAbsentKeysFirst() {
        AggregationSpec spec = new AggregationSpec("value", Function.SUM, "per_host", null, null, null, "labels.host");

        ObjectNode result = run(List.of(spec),
                "{\"labels\": {\"host\": \"b\"}, \"value\": {\"Counter\": 1}}",
                "{\"labels\": {\"host\": \"a\"}, \"value\": {\"Counter\": 2}}",
                "{\"labels\": {\"host\": \"b\"}, \"value\": {\"Counter\": 3}}",
                "{\"labels\": {}, \"value\": {\"Counter\": 4}}");

        Json.assertSameTree(Json.tree("""
                {"function": "Sum", "field": "value", "group_by": "labels.host",
                 "groups": [{"key": null, "value": 4}, {"key": "a", "value": 2}, {"key": "b", "value": 4}]}"""),
                result.get("per_host"));
    }

    @Test
    void averagesTheGaugesOfGoldenOtlpMetrics() {
        JsonNode records = Json.resourceTree("golden/otlp/metrics.records.json");
        Aggregations aggregations = new Aggregations(List.of(spec(Function.AVERAGE, "value"),
                spec(Function.COUNT, "*")));
        double sum = 0;
        int numeric = 0;
        for (JsonNode record : records) {
            JsonNode value = record.get("value").get("value");
            JsonNode number = value.has("Gauge") ? value.get("Gauge") : value.get("Counter");
            if (number != null) {
                sum += number.doubleValue();
                numeric++;
            }
            aggregations.add(record.get("value"));
        }

        ObjectNode result = aggregations.result(mapper);

        assertThat(numeric).isPositive();
        assertThat(result.at("/average_value/value").doubleValue()).isEqualTo(sum / numeric);
        assertThat(result.at("/count/value").longValue()).isEqualTo(records.size());
    }
}
