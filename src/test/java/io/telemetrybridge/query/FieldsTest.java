package io.telemetrybridge.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.support.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FieldsTest {

    private static final JsonNode OTLP_COUNTER = Json.resourceTree("golden/otlp/metrics.records.json").get(0)
            .get("value");

    private static final JsonNode SEED_HISTOGRAM = Json.tree("""
            {"name": "latency", "metric_type": "Histogram", "timestamp": "2025-01-01T12:00:00.123456789Z",
             "value": {"Histogram": {"buckets": [{"upper_bound": 1, "count": 2}], "sum": 1.5, "count": 2}},
             "labels": {"host.name": "a", "host": "b", "service": "billing"}}""");

    @Test
    void labelAndAttributeKeysMayContainDots() {
        assertThat(Fields.resolve(SEED_HISTOGRAM, "labels.host.name").textValue()).isEqualTo("a");
        assertThat(Fields.resolve(SEED_HISTOGRAM, "labels.host").textValue()).isEqualTo("b");
        assertThat(Fields.resolve(OTLP_COUNTER, "labels.my.counter.attr").textValue()).isEqualTo("some value");
        assertThat(Fields.resolve(SEED_HISTOGRAM, "labels.host.port")).isNull();
    }

    @Test
    void resourceKeysAreResourceAttributes() {
        assertThat(Fields.resolve(OTLP_COUNTER, "resource.service.name").textValue()).isEqualTo("my.service");
        assertThat(Fields.resolve(OTLP_COUNTER, "resource.attributes.service.name").textValue())
                .isEqualTo("my.service");
        assertThat(Fields.resolve(OTLP_COUNTER, "resource.dropped_attributes_count").intValue()).isZero();
    }

    @Test
    void otherDottedPathsWalkMembers() {
        assertThat(Fields.resolve(OTLP_COUNTER, "scope.name").textValue()).isEqualTo("my.library");
        assertThat(Fields.resolve(OTLP_COUNTER, "scope.version").textValue()).isEqualTo("1.0.0");
        assertThat(Fields.resolve(OTLP_COUNTER, "scope.attributes.my.scope.attribute").textValue())
                .isEqualTo("some scope attribute");
        assertThat(Fields.resolve(OTLP_COUNTER, "scope.name.first")).isNull();
    }

    @Test
    void serviceIsTheServiceNameThenTheResourceThenAttributes() {
        assertThat(Fields.resolve(OTLP_COUNTER, "service").textValue()).isEqualTo("my.service");
        assertThat(Fields.resolve(Json.tree("{\"service_name\": null, \"resource\": {\"attributes\": "
                + "{\"service.name\": \"r\"}}, \"attributes\": {\"service.name\": \"a\"}}"), "service").textValue())
                .isEqualTo("r");
        assertThat(Fields.resolve(Json.tree("{\"attributes\": {\"service.name\": \"a\", \"service\": \"b\"}}"),
                "service").textValue()).isEqualTo("a");
        assertThat(Fields.resolve(Json.tree("{\"attributes\": {\"service\": \"b\"}}"), "service").textValue())
                .isEqualTo("b");
        assertThat(Fields.resolve(SEED_HISTOGRAM, "service").textValue()).as("a seed metric's label")
                .isEqualTo("billing");
        assertThat(Fields.resolve(Json.tree("{}"), "service")).isNull();
    }

    @Test
    void aMetricValueIsItsCounterOrGaugeNumber() {
        assertThat(Fields.resolve(OTLP_COUNTER, "value").doubleValue()).isEqualTo(5.0);
        assertThat(Fields.resolve(Json.tree("{\"value\": {\"Gauge\": 75.5}}"), "value").doubleValue())
                .isEqualTo(75.5);
        assertThat(Fields.resolve(SEED_HISTOGRAM, "value").isObject()).isTrue();
    }

    @Test
    void pathsUnderAValueWalkIntoItsVariant() {
        assertThat(Fields.resolve(SEED_HISTOGRAM, "value.sum").doubleValue()).isEqualTo(1.5);
        assertThat(Fields.resolve(SEED_HISTOGRAM, "value.count").intValue()).isEqualTo(2);
        assertThat(Fields.resolve(SEED_HISTOGRAM, "value.Histogram.count").intValue()).isEqualTo(2);
        assertThat(Fields.resolve(OTLP_COUNTER, "value.Counter").intValue()).isEqualTo(5);
    }

    @Test
    void durationMsIsDurationNsInMilliseconds() {
        assertThat(Fields.resolve(Json.tree("{\"duration_ns\": 1500000}"), "duration_ms").doubleValue())
                .isEqualTo(1.5);
        assertThat(Fields.resolve(Json.tree("{\"duration_ns\": null}"), "duration_ms")).isNull();
    }

    @Test
    void jsonNullIsAbsent() {
        assertThat(Fields.resolve(Json.tree("{\"a\": null}"), "a")).isNull();
        assertThat(Fields.resolve(Json.tree("{\"a\": 1}"), "")).isNull();
    }

    @Test
    void textOfANumberHasNoNeedlessFraction() {
        assertThat(Fields.text(Json.tree("10.0"))).isEqualTo("10");
        assertThat(Fields.text(Json.tree("2.5"))).isEqualTo("2.5");
        assertThat(Fields.text(Json.tree("true"))).isEqualTo("true");
        assertThat(Fields.text(Json.tree("[1]"))).isNull();
    }

    @Test
    void numbersAreJsonNumbersOrPlainDecimalStrings() {
        assertThat(Fields.number(Json.tree("\"1e3\""))).isEqualTo(1000.0);
        assertThat(Fields.number(Json.tree("\"-2.5\""))).isEqualTo(-2.5);
        assertThat(Fields.number(Json.tree("\"NaN\""))).isNaN();
        assertThat(Fields.number(Json.tree("\"0x10\""))).isNaN();
        assertThat(Fields.number(Json.tree("\" 1\""))).isNaN();
        assertThat(Fields.number(Json.tree("true"))).isNaN();
    }

    @Test
    void eventTimePrefersUnixNanosAndFallsBackToTheTimestampToTheNanosecond() {
        assertThat(EventTimes.nanos(Signal.METRICS, OTLP_COUNTER)).isEqualTo(1544712660300000000L);
        Instant t = Instant.parse("2025-01-01T12:00:00Z");
        assertThat(EventTimes.nanos(Signal.METRICS, SEED_HISTOGRAM))
                .isEqualTo(t.getEpochSecond() * 1_000_000_000L + 123_456_789L);
        assertThat(EventTimes.nanos(Signal.LOGS, Json.tree("{\"time_unix_nano\": 0, "
                + "\"timestamp\": \"1970-01-01T00:00:01.000000002+00:00\"}"))).isEqualTo(1_000_000_002L);
    }

    @Test
    void eventTimeOfASpanIsItsStart() {
        JsonNode span = Json.resourceTree("golden/otlp/trace.records.json").get(0).get("value");
        assertThat(EventTimes.nanos(Signal.TRACES, span)).isEqualTo(1544712660000000000L);
        assertThat(EventTimes.nanos(Signal.TRACES, Json.tree("{\"start_time\": \"1970-01-01T01:00:00+01:00\"}")))
                .isZero();
    }

    @Test
    void eventTimeIsMinValueWhenMissingOrUnparseable() {
        assertThat(EventTimes.nanos(Signal.LOGS, Json.tree("{\"timestamp\": \"noon\"}"))).isEqualTo(Long.MIN_VALUE);
        assertThat(EventTimes.nanos(Signal.METRICS, Json.tree("{}"))).isEqualTo(Long.MIN_VALUE);
        assertThat(EventTimes.nanos(Signal.METRICS, Json.tree("{\"timestamp\": \"3000-01-01T00:00:00Z\"}")))
                .as("beyond 2262").isEqualTo(Long.MIN_VALUE);
    }
}
