package io.telemetrybridge.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import org.junit.jupiter.api.Test;

/** Attribute values as the json encoding writes them. */
class JsonOutValuesTest {

    /** A profiles string-table index outside profiles is read as absent (common.proto), not as its number. */
    @Test
    void aStringTableIndexIsWrittenAsAbsent() throws Exception {
        AnyValue strindex = AnyValue.newBuilder().setStringValueStrindex(3).build();
        assertThat(JsonOut.attributeText(strindex)).isEqualTo(JsonOut.attributeText(AnyValue.getDefaultInstance()))
                .isEmpty();
        AnyValue array = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(strindex)
                .addValues(AnyValue.newBuilder().setIntValue(3))).build();
        assertThat(JsonOut.attributeText(array)).isEqualTo("[null,3]");
    }

    @Test
    void aLogBodyThatIsAStringTableIndexIsAnEmptyMessage() throws Exception {
        var request = io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(io.opentelemetry.proto.logs.v1.ResourceLogs.newBuilder()
                        .addScopeLogs(io.opentelemetry.proto.logs.v1.ScopeLogs.newBuilder()
                                .addLogRecords(io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                                        .setBody(AnyValue.newBuilder().setStringValueStrindex(7)))))
                .build();
        var record = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(LogRecords.encode(request).get(0).value());
        assertThat(record.get("message").textValue()).isEmpty();
        assertThat(record.get("body").isNull()).isTrue();
    }

    /** OTLP keys MUST be unique: a repeated one is written once, with its last value, so the record is plain JSON. */
    @Test
    void aRepeatedAttributeKeyIsWrittenOnceWithItsLastValue() throws Exception {
        var span = io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
                .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .addAttributes(kv("a", str("1"))).addAttributes(kv("b", str("x"))).addAttributes(kv("a", str("2")))
                .addAttributes(kv("nested", AnyValue.newBuilder().setKvlistValue(
                        io.opentelemetry.proto.common.v1.KeyValueList.newBuilder()
                                .addValues(kv("k", str("first"))).addValues(kv("k", str("last")))).build()))
                .addAttributes(kv("a", str("3")));
        for (int i = 0; i < 20; i++) {
            // Past the small-list comparison: a repeat among many keys.
            span.addEvents(io.opentelemetry.proto.trace.v1.Span.Event.getDefaultInstance());
        }
        var event = io.opentelemetry.proto.trace.v1.Span.Event.newBuilder().setName("e");
        for (int i = 0; i < 20; i++) {
            event.addAttributes(kv("k" + i, str("v" + i)));
        }
        event.addAttributes(kv("k0", str("again")));
        span.clearEvents().addEvents(event);
        var request = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                        .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                                .addAttributes(kv("service.name", str("old"))).addAttributes(kv("service.name", str("new"))))
                        .addScopeSpans(io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder().addSpans(span)))
                .build();
        var strict = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        var record = strict.readTree(SpanRecords.encode(request).get(0).value());
        var attributes = record.get("attributes");
        assertThat(attributes.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("b", "nested", "a");
        assertThat(attributes.get("a").textValue()).isEqualTo("3");
        assertThat(strict.readTree(attributes.get("nested").textValue()).get("k").textValue()).isEqualTo("last");
        var eventAttributes = record.get("events").get(0).get("attributes");
        assertThat(eventAttributes.size()).isEqualTo(20);
        assertThat(eventAttributes.get("k0").textValue()).isEqualTo("again");
        assertThat(record.get("service_name").textValue()).isEqualTo("new");
        assertThat(record.get("resource").get("attributes").get("service.name").textValue()).isEqualTo("new");
    }

    /** Keys that differ but share a signature bit in JsonOut.repeatsKey ("ad" and "ba") are all kept, in order. */
    @Test
    void differentKeysThatLookAlikeAreAllKept() throws Exception {
        var record = new com.fasterxml.jackson.databind.ObjectMapper().readTree(SpanRecords.encode(traces(
                span(1).addAttributes(kv("ad", str("1"))).addAttributes(kv("x", str("2")))
                        .addAttributes(kv("ba", str("3"))))).get(0).value());
        assertThat(record.get("attributes").properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("ad", "x", "ba");
    }

    /** Each span is keyed by its own trace id, however the request's spans alternate between traces. */
    @Test
    void eachSpanIsKeyedByItsOwnTraceId() throws Exception {
        var records = SpanRecords.encode(traces(span(1), span(1), span(2), span(1),
                io.opentelemetry.proto.trace.v1.Span.newBuilder()));
        assertThat(records).extracting(io.telemetrybridge.model.KeyedRecord::key).containsExactly(
                "01010101010101010101010101010101", "01010101010101010101010101010101",
                "02020202020202020202020202020202", "01010101010101010101010101010101", null);
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(mapper.readTree(records.get(2).value()).get("trace_id").textValue())
                .isEqualTo("02020202020202020202020202020202");
        assertThat(mapper.readTree(records.get(2).value()).get("span_id").textValue()).isEqualTo("0202020202020202");
        assertThat(mapper.readTree(records.get(4).value()).get("trace_id").isNull()).isTrue();
    }

    /** A span whose trace id is 16 bytes of {@code b} and span id 8 bytes of {@code b}. */
    private static io.opentelemetry.proto.trace.v1.Span.Builder span(int b) {
        byte[] trace = new byte[16];
        byte[] id = new byte[8];
        java.util.Arrays.fill(trace, (byte) b);
        java.util.Arrays.fill(id, (byte) b);
        return io.opentelemetry.proto.trace.v1.Span.newBuilder().setTraceId(com.google.protobuf.ByteString.copyFrom(trace))
                .setSpanId(com.google.protobuf.ByteString.copyFrom(id));
    }

    private static io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest traces(
            io.opentelemetry.proto.trace.v1.Span.Builder... spans) {
        var scope = io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder();
        for (var s : spans) {
            scope.addSpans(s);
        }
        return io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder().addScopeSpans(scope))
                .build();
    }

    private static io.opentelemetry.proto.common.v1.KeyValue kv(String key, AnyValue value) {
        return io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }
}
