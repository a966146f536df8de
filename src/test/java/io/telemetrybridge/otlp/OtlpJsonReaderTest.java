package io.telemetrybridge.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.telemetrybridge.error.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * OtlpJsonReader against the generated messages: every field type OTLP uses, with values at the edges of their
 * ranges, written as OTLP/JSON by OtlpJsonWriter and read back, must give the same message.
 */
class OtlpJsonReaderTest {

    private static final OtlpJsonReader READER = new OtlpJsonReader(64);

    private static ByteString bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 37);
        }
        return ByteString.copyFrom(b);
    }

    private static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue every() {
        return AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(kv("s", AnyValue.newBuilder().setStringValue("ünïcode \"quoted\" \u2603").build()))
                .addValues(kv("b", AnyValue.newBuilder().setBoolValue(true).build()))
                .addValues(kv("i", AnyValue.newBuilder().setIntValue(Long.MIN_VALUE).build()))
                .addValues(kv("d", AnyValue.newBuilder().setDoubleValue(-1.5e-300).build()))
                .addValues(kv("nan", AnyValue.newBuilder().setDoubleValue(Double.NaN).build()))
                .addValues(kv("bytes", AnyValue.newBuilder().setBytesValue(bytes(5, 200)).build()))
                .addValues(kv("array", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setIntValue(-1))
                        .addValues(AnyValue.newBuilder().setStringValue(""))).build()))
                .addValues(kv("empty", AnyValue.getDefaultInstance())))
                .build();
    }

    private static Resource resource() {
        return Resource.newBuilder().addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue("shop")
                .build())).setDroppedAttributesCount(0xFFFF_FFFF).build();
    }

    private static InstrumentationScope scope() {
        return InstrumentationScope.newBuilder().setName("lib").setVersion("1.0").addAttributes(kv("all", every()))
                .setDroppedAttributesCount(3).build();
    }

    private static void assertRoundTrip(Message message) throws Exception {
        byte[] json = OtlpJsonWriter.write(message);
        Message read = READER.read(new ByteArrayInputStream(json), message.newBuilderForType()).build();
        assertThat(read).as(new String(json, StandardCharsets.UTF_8)).isEqualTo(message);
    }

    @Test
    void tracesReadBackAsWritten() throws Exception {
        Span span = Span.newBuilder().setTraceId(bytes(16, 1)).setSpanId(bytes(8, 2)).setParentSpanId(bytes(8, 3))
                .setTraceState("k=v").setFlags(0x301).setName("GET /cart").setKind(Span.SpanKind.SPAN_KIND_CONSUMER)
                .setStartTimeUnixNano(-1L).setEndTimeUnixNano(Long.MAX_VALUE).addAttributes(kv("all", every()))
                .setDroppedAttributesCount(1).addEvents(Span.Event.newBuilder().setTimeUnixNano(1).setName("e")
                        .addAttributes(kv("x", every())).setDroppedAttributesCount(2))
                .setDroppedEventsCount(4).addLinks(Span.Link.newBuilder().setTraceId(bytes(16, 9))
                        .setSpanId(bytes(8, 8)).setTraceState("a=b").setFlags(-1).setDroppedAttributesCount(5))
                .setDroppedLinksCount(6).setStatus(Status.newBuilder().setMessage("boom")
                        .setCode(Status.StatusCode.STATUS_CODE_ERROR)).build();
        // An enum number outside the enum is kept (proto3 enums are open).
        Span unknownKind = span.toBuilder().setKindValue(42).clearParentSpanId().build();
        assertRoundTrip(ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(resource()).setSchemaUrl("https://opentelemetry.io/schemas/1.21.0")
                .addScopeSpans(ScopeSpans.newBuilder().setScope(scope()).addSpans(span).addSpans(unknownKind)
                        .addSpans(Span.getDefaultInstance()).setSchemaUrl("s")))
                .addResourceSpans(ResourceSpans.getDefaultInstance()).build());
    }

    @Test
    void metricsOfEveryKindReadBackAsWritten() throws Exception {
        Exemplar exemplar = Exemplar.newBuilder().addFilteredAttributes(kv("f", every())).setTimeUnixNano(7)
                .setAsInt(-7).setSpanId(bytes(8, 4)).setTraceId(bytes(16, 5)).build();
        NumberDataPoint number = NumberDataPoint.newBuilder().addAttributes(kv("a", every()))
                .setStartTimeUnixNano(1).setTimeUnixNano(2).setAsDouble(Double.NEGATIVE_INFINITY)
                .addExemplars(exemplar).setFlags(1).build();
        Metric gauge = Metric.newBuilder().setName("g").setDescription("d").setUnit("ms")
                .setGauge(Gauge.newBuilder().addDataPoints(number)
                        .addDataPoints(number.toBuilder().setAsInt(Long.MAX_VALUE))).build();
        Metric sum = Metric.newBuilder().setName("s").setSum(Sum.newBuilder().addDataPoints(number)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .setIsMonotonic(true)).addMetadata(kv("m", every())).build();
        Metric histogram = Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                .addDataPoints(HistogramDataPoint.newBuilder().setCount(-1L).setSum(0.0).setMin(-2).setMax(2)
                        .addBucketCounts(1).addBucketCounts(-1L).addExplicitBounds(0.5).addExemplars(exemplar))
                // sum, min and max unset: present or absent must survive
                .addDataPoints(HistogramDataPoint.newBuilder().setCount(3))).build();
        Metric exponential = Metric.newBuilder().setName("e").setExponentialHistogram(ExponentialHistogram
                .newBuilder().addDataPoints(ExponentialHistogramDataPoint.newBuilder().setScale(-10).setCount(9)
                        .setZeroCount(1).setZeroThreshold(1e-9).setSum(4.5)
                        .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-3)
                                .addBucketCounts(2).addBucketCounts(3))
                        .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(Integer.MIN_VALUE)
                                .addBucketCounts(4)))).build();
        Metric summary = Metric.newBuilder().setName("q").setSummary(Summary.newBuilder().addDataPoints(
                SummaryDataPoint.newBuilder().setCount(2).setSum(1.25).addQuantileValues(SummaryDataPoint
                        .ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(12)))).build();
        assertRoundTrip(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(resource()).addScopeMetrics(ScopeMetrics.newBuilder().setScope(scope())
                        .addMetrics(gauge).addMetrics(sum).addMetrics(histogram).addMetrics(exponential)
                        .addMetrics(summary).addMetrics(Metric.newBuilder().setName("no data")))).build());
    }

    @Test
    void logsReadBackAsWritten() throws Exception {
        LogRecord log = LogRecord.newBuilder().setTimeUnixNano(5).setObservedTimeUnixNano(6)
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_FATAL4).setSeverityText("FATAL").setBody(every())
                .addAttributes(kv("a", every())).setDroppedAttributesCount(7).setFlags(1)
                .setTraceId(bytes(16, 6)).setSpanId(bytes(8, 7)).build();
        assertRoundTrip(ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(resource()).addScopeLogs(ScopeLogs.newBuilder().setScope(scope()).addLogRecords(log)
                        .addLogRecords(LogRecord.getDefaultInstance()))).build());
    }

    /** A repeated key, or one field under its JSON and its proto name, is refused, naming where. */
    @Test
    void aFieldGivenTwiceIsRefused() {
        for (String spans : new String[] {"{\"name\":\"a\",\"traceState\":\"x\",\"trace_state\":\"y\"}",
                "{\"name\":\"a\",\"traceState\":\"x\",\"traceState\":null}"}) {
            String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + spans + "]}]}]}";
            assertThatThrownBy(() -> READER.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                    ExportTraceServiceRequest.newBuilder()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("resourceSpans[0].scopeSpans[0].spans[0].")
                    .hasMessageContaining("Duplicate field");
        }
        String both = "{\"resourceSpans\":[],\"resource_spans\":[]}";
        assertThatThrownBy(() -> READER.read(new ByteArrayInputStream(both.getBytes(StandardCharsets.UTF_8)),
                ExportTraceServiceRequest.newBuilder())).hasMessageContaining("Duplicate field 'resource_spans'");
    }

    /** Keys the reader does not know are skipped, however often they come. */
    @Test
    void unknownKeysAreSkipped() throws Exception {
        String json = "{\"x\":1,\"x\":{\"y\":[1,2]},\"resourceSpans\":[{\"schemaUrl\":\"s\"}]}";
        ExportTraceServiceRequest read = (ExportTraceServiceRequest) READER.read(new ByteArrayInputStream(
                json.getBytes(StandardCharsets.UTF_8)), ExportTraceServiceRequest.newBuilder()).build();
        assertThat(read.getResourceSpans(0).getSchemaUrl()).isEqualTo("s");
    }

    /** One member of a oneof at most; a member given as null is not set, so another may follow it. */
    @Test
    void oneMemberOfAOneof() throws Exception {
        String nullFirst = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":"
                + "{\"stringValue\":null,\"intValue\":\"5\"}}]}]}]}";
        ExportLogsServiceRequest read = (ExportLogsServiceRequest) READER.read(new ByteArrayInputStream(
                nullFirst.getBytes(StandardCharsets.UTF_8)), ExportLogsServiceRequest.newBuilder()).build();
        assertThat(read.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getBody())
                .isEqualTo(AnyValue.newBuilder().setIntValue(5).build());
        String two = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":"
                + "{\"stringValue\":\"a\",\"boolValue\":true}}]}]}]}";
        assertThatThrownBy(() -> READER.read(new ByteArrayInputStream(two.getBytes(StandardCharsets.UTF_8)),
                ExportLogsServiceRequest.newBuilder()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("resourceLogs[0].scopeLogs[0].logRecords[0].body.boolValue")
                .hasMessageContaining("only one of");
    }

    /**
     * Every field of every message the three export requests can hold is set through its generated setter, not
     * protobuf's reflection (a name the accessor naming misses would fall back silently, and cost the CPU again).
     */
    @Test
    void everyOtlpFieldHasItsGeneratedSetter() {
        java.util.Set<String> visited = new java.util.HashSet<>();
        java.util.List<String> reflective = new java.util.ArrayList<>();
        java.util.ArrayDeque<Message.Builder> todo = new java.util.ArrayDeque<>(java.util.List.of(
                ExportTraceServiceRequest.newBuilder(), ExportMetricsServiceRequest.newBuilder(),
                ExportLogsServiceRequest.newBuilder()));
        while (!todo.isEmpty()) {
            Message.Builder b = todo.poll();
            if (!visited.add(b.getDescriptorForType().getFullName())) {
                continue;
            }
            for (com.google.protobuf.Descriptors.FieldDescriptor f : b.getDescriptorForType().getFields()) {
                if (!OtlpJsonReader.setsDirectly(b, f)) {
                    reflective.add(f.getFullName());
                }
                if (f.getJavaType() == com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE) {
                    todo.add(b.newBuilderForField(f));
                }
            }
        }
        assertThat(visited).contains("opentelemetry.proto.common.v1.AnyValue",
                "opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets");
        assertThat(reflective).isEmpty();
    }

    /** A syntax error names the line and column, in the parser's words, without Jackson's source excerpts. */
    @Test
    void truncatedJsonIsNamedPlainly() {
        String json = "{\"resourceSpans\":[{\"scopeSpans\":[";
        assertThatThrownBy(() -> READER.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                ExportTraceServiceRequest.newBuilder()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("malformed JSON: Unexpected end-of-input")
                .hasMessageContaining("at line 1, column ")
                .hasMessageNotContaining("Source:")
                .hasMessageNotContaining("REDACTED");
    }
}
