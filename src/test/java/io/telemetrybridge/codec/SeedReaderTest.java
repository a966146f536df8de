package io.telemetrybridge.codec;

import io.telemetrybridge.error.InvalidInputException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrybridge.kafka.RecordKeys;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.support.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SeedReaderTest {

    private final ObjectMapper mapper = SeedJson.newMapper();
    private final SeedReader reader = new SeedReader(mapper);

    @ParameterizedTest
    @EnumSource(Signal.class)
    void goldenBatchBecomesSeedRecordsWithTheirKeys(Signal signal) throws Exception {
        List<?> items = reader.readBatch(signal, Json.resource("golden/seed/" + signal.id() + "-batch.json"));
        JsonNode expected = Json.resourceTree("golden/seed/" + signal.id() + "-records.json");

        assertThat(items).hasSize(expected.size());
        for (int i = 0; i < items.size(); i++) {
            Json.assertSameTree(expected.get(i).get("value"), mapper.valueToTree(items.get(i)));
            assertThat(RecordKeys.of(items.get(i))).isEqualTo(expected.get(i).get("key").textValue());
        }
    }

    @Test
    void keepsTimestampsToTheNanosecond() throws Exception {
        Object item = reader.readItem(Signal.LOGS,
                "{\"timestamp\":\"2025-06-30T23:59:59.999999999Z\",\"level\":\"Warn\",\"message\":\"m\"}");
        assertThat(mapper.writeValueAsString(item)).contains("\"timestamp\":\"2025-06-30T23:59:59.999999999Z\"");
    }

    @Test
    void readsTimestampsWithAnOffsetAsUtc() throws Exception {
        Object item = reader.readItem(Signal.LOGS,
                "{\"timestamp\":\"2025-07-01T01:00:00.5+02:00\",\"level\":\"Warn\",\"message\":\"m\"}");
        assertThat(mapper.writeValueAsString(item)).contains("\"timestamp\":\"2025-06-30T23:00:00.500Z\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // what is wrong | item JSON | expected message
        "unknown value variant | {'name':'m','metric_type':'Gauge','value':{'Gaug':1},'timestamp':'2025-01-01T00:00:00Z'}"
            + " | value: expected one of Counter, Gauge, Histogram, Summary, got \"Gaug\"",
        "unknown metric type | {'name':'m','metric_type':'Meter','value':{'Gauge':1},'timestamp':'2025-01-01T00:00:00Z'}"
            + " | metric_type: expected one of Counter, Gauge, Histogram, Summary, got \"Meter\"",
        "variant differs from type | {'name':'m','metric_type':'Counter','value':{'Gauge':1},'timestamp':'2025-01-01T00:00:00Z'}"
            + " | value: a Gauge value does not match metric_type Counter",
        "number as string | {'name':'m','metric_type':'Gauge','value':{'Gauge':'1'},'timestamp':'2025-01-01T00:00:00Z'}"
            + " | value.Gauge: expected a number",
        "label not a string | {'name':'m','metric_type':'Gauge','value':{'Gauge':1},'labels':{'a':1},'timestamp':'2025-01-01T00:00:00Z'}"
            + " | labels.a: expected a string, got 1",
        "missing name | {'metric_type':'Gauge','value':{'Gauge':1},'timestamp':'2025-01-01T00:00:00Z'}"
            + " | name: required field is missing or null",
        "bad timestamp | {'name':'m','metric_type':'Gauge','value':{'Gauge':1},'timestamp':'yesterday'}"
            + " | timestamp: expected an RFC 3339 timestamp such as 2025-01-01T12:00:00.123456789Z, got \"yesterday\"",
        "negative bucket count | {'name':'m','metric_type':'Histogram','value':{'Histogram':{'buckets':[{'upper_bound':1,'count':-1}],'sum':0,'count':0}},'timestamp':'2025-01-01T00:00:00Z'}"
            + " | value.Histogram.buckets[0].count: expected a non-negative integer, got -1",
        "fractional count | {'name':'m','metric_type':'Histogram','value':{'Histogram':{'buckets':[],'sum':0,'count':1.5}},'timestamp':'2025-01-01T00:00:00Z'}"
            + " | value.Histogram.count: expected an integer, got 1.5",
        "two variants | {'name':'m','metric_type':'Gauge','value':{'Gauge':1,'Counter':2},'timestamp':'2025-01-01T00:00:00Z'}"
            + " | value: expected exactly one variant key, got \"Gauge\" and \"Counter\"",
        "quantile above one | {'name':'m','metric_type':'Summary','value':{'Summary':{'quantiles':[{'quantile':1.5,'value':1}],'sum':0,'count':0}},'timestamp':'2025-01-01T00:00:00Z'}"
            + " | value.Summary.quantiles[0].quantile: expected a number between 0 and 1, got 1.5",
    })
    void rejectsBadMetricNamingTheField(String what, String item, String message) {
        assertThatThrownBy(() -> reader.readItem(Signal.METRICS, item.replace('\'', '"')))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown kind | {'trace_id':'4bf92f3577b34da6a3ce929d0e0e4736','span_id':'00f067aa0ba902b7','name':'n','kind':'Server2','start_time':'2025-01-01T00:00:00Z','status':{'code':'Ok'}}"
            + " | kind: expected one of Internal, Server, Client, Producer, Consumer, got \"Server2\"",
        "missing status | {'trace_id':'4bf92f3577b34da6a3ce929d0e0e4736','span_id':'00f067aa0ba902b7','name':'n','kind':'Server','start_time':'2025-01-01T00:00:00Z'}"
            + " | status: required field is missing or null",
        "empty trace id | {'trace_id':'','span_id':'00f067aa0ba902b7','name':'n','kind':'Server','start_time':'2025-01-01T00:00:00Z','status':{'code':'Ok'}}"
            + " | trace_id: must not be empty",
        "non-hex trace id | {'trace_id':'not-hex-at-all','span_id':'00f067aa0ba902b7','name':'n','kind':'Server','start_time':'2025-01-01T00:00:00Z','status':{'code':'Ok'}}"
            + " | trace_id: expected 32 hex digits, got 'not-hex-at-all'",
        "zero span id | {'trace_id':'4bf92f3577b34da6a3ce929d0e0e4736','span_id':'0000000000000000','name':'n','kind':'Server','start_time':'2025-01-01T00:00:00Z','status':{'code':'Ok'}}"
            + " | span_id: must not be all zeros (an invalid id in W3C Trace Context)",
        "short parent | {'trace_id':'4bf92f3577b34da6a3ce929d0e0e4736','span_id':'00f067aa0ba902b7','parent_span_id':'abc','name':'n','kind':'Server','start_time':'2025-01-01T00:00:00Z','status':{'code':'Ok'}}"
            + " | parent_span_id: expected 16 hex digits, got 'abc'",
        "end before start | {'trace_id':'4bf92f3577b34da6a3ce929d0e0e4736','span_id':'00f067aa0ba902b7','name':'n','kind':'Server','start_time':'2025-01-01T00:00:01Z','end_time':'2025-01-01T00:00:00Z','status':{'code':'Ok'}}"
            + " | end_time: is before start_time",
        "event without name | {'trace_id':'4bf92f3577b34da6a3ce929d0e0e4736','span_id':'00f067aa0ba902b7','name':'n','kind':'Server','start_time':'2025-01-01T00:00:00Z','status':{'code':'Ok'},'events':[{'timestamp':'2025-01-01T00:00:00Z'}]}"
            + " | events[0].name: required field is missing or null",
    })
    void rejectsBadSpanNamingTheField(String what, String item, String message) {
        assertThatThrownBy(() -> reader.readItem(Signal.TRACES, item.replace('\'', '"')))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsUnknownLogLevelNamingTheField() {
        assertThatThrownBy(() -> reader.readItem(Signal.LOGS,
                "{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Warning\",\"message\":\"m\"}"))
                .hasMessage("level: expected one of Trace, Debug, Info, Warn, Error, Fatal, got \"Warning\"");
    }

    @Test
    void pathOfABadItemInABatchIncludesItsIndex() {
        String batch = "{\"id\":\"0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60\",\"timestamp\":\"2025-01-01T00:00:00Z\","
                + "\"logs\":[{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Info\",\"message\":\"ok\"},"
                + "{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Info\"}]}";
        assertThatThrownBy(() -> reader.readBatch(Signal.LOGS, batch.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("logs[1].message");
                    assertThat(e.getMessage()).isEqualTo("logs[1].message: required field is missing or null");
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing id | {'timestamp':'2025-01-01T00:00:00Z','traces':[]} | id: required field is missing or null",
        "id not a uuid | {'id':'abc','timestamp':'2025-01-01T00:00:00Z','traces':[]} | id: expected a UUID, got \"abc\"",
        "items not an array | {'id':'0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60','timestamp':'2025-01-01T00:00:00Z','traces':{}} | traces: expected an array",
        "top level array | [] | expected an object",
        "items missing | {'id':'0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60','timestamp':'2025-01-01T00:00:00Z'} | traces: required field is missing or null",
    })
    void rejectsBadBatchEnvelope(String what, String batch, String message) {
        assertThatThrownBy(() -> reader.readBatch(Signal.TRACES, batch.replace('\'', '"').getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsMalformedJsonWithItsPosition() {
        assertThatThrownBy(() -> reader.readBatch(Signal.METRICS, "{\"id\": ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("malformed JSON: Unexpected end-of-input within/between Object entries at line 1, "
                        + "column 8");
    }

    /** A key given twice would silently replace the first value: refused, in batches and in single items. */
    @Test
    void rejectsAKeyGivenTwice() {
        assertThatThrownBy(() -> reader.readBatch(Signal.METRICS, ("{\"id\":\"6f1c2a52-8a39-4d8e-9e36-3d0f7f2b6a11\",\"metrics\":[],\"metrics\":[]}")
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Duplicate field 'metrics'");
        assertThatThrownBy(() -> reader.readItem(Signal.LOGS, "{\"message\":\"a\",\"message\":\"b\"}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Duplicate field 'message'");
    }

    @Test
    void emptyBatchHasNoItems() {
        String batch = "{\"id\":\"0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60\",\"timestamp\":\"2025-01-01T00:00:00Z\",\"metrics\":[]}";
        assertThat(reader.readBatch(Signal.METRICS, batch.getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void upperCaseHexIdsAreStoredInLowerCaseSoATraceKeepsOneKey() {
        var span = (io.telemetrybridge.model.TraceData) reader.readItem(Signal.TRACES, ("{'trace_id':'4BF92F3577B34DA6A3CE929D0E0E4736',"
                + "'span_id':'00F067AA0BA902B7','parent_span_id':'00F067AA0BA902B8','name':'n','kind':'Server',"
                + "'start_time':'2025-01-01T00:00:00Z','status':{'code':'Ok'},"
                + "'links':[{'trace_id':'0AF7651916CD43DD8448EB211C80319C','span_id':'B9C7C989F97918E1'}]}")
                .replace('\'', '"'));

        assertThat(span.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(span.spanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(span.parentSpanId()).isEqualTo("00f067aa0ba902b8");
        assertThat(span.links().get(0).traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    }
}
