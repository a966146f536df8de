package io.telemetrybridge.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.telemetrybridge.model.KeyedRecord;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.support.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The OTLP codecs without a broker, over the OpenTelemetry protocol repository's example requests
 * ({@code src/test/resources/fixtures/otlp}, unchanged): the {@code json} mapping against records written by hand
 * from the OTLP specification and docs/kafka-records.md ({@code golden/otlp/*.records.json}); {@code otlp_json}
 * and {@code otlp_proto} records read back as the request they came from; and {@code otlp_proto}'s cutting under
 * a small size limit losing no span, data point or log record.
 */
class OtlpCodecTest {

    private static final OtlpRequests REQUESTS = new OtlpRequests(64, 20_971_520);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "trace.json,           traces,  application/json,       trace.records.json",
        "trace.protobuf-bin,   traces,  application/x-protobuf, trace-protobuf.records.json",
        "metrics.json,         metrics, application/json,       metrics.records.json",
        "metrics.protobuf-bin, metrics, application/x-protobuf, metrics-protobuf.records.json",
        "logs.json,            logs,    application/json,       logs.records.json",
        "events.json,          logs,    application/json,       events.records.json",
    })
    void jsonRecordsAreTheGoldenOnes(String fixture, String signal, String contentType, String expected)
            throws Exception {
        Signal s = Signal.of(signal);
        List<KeyedRecord> records = OtlpEncoding.named("json").encode(s, request(fixture, s, contentType));

        JsonNode want = Json.resourceTree("golden/otlp/" + expected);
        assertThat(records).hasSize(want.size());
        for (int i = 0; i < want.size(); i++) {
            assertThat(records.get(i).key()).as("key of record %d", i).isEqualTo(want.get(i).get("key").textValue());
            Json.assertSameTree(want.get(i).get("value"), Json.MAPPER.readTree(records.get(i).value()));
        }
    }

    @ParameterizedTest(name = "{0} as {3}")
    @CsvSource({
        "trace.json,           traces,  application/json,       otlp_json",
        "trace.protobuf-bin,   traces,  application/x-protobuf, otlp_proto",
        "metrics.json,         metrics, application/json,       otlp_proto",
        "metrics.protobuf-bin, metrics, application/x-protobuf, otlp_json",
        "logs.json,            logs,    application/json,       otlp_json",
        "events.json,          logs,    application/json,       otlp_proto",
    })
    void otlpRecordsReadBackAsTheRequest(String fixture, String signal, String contentType, String encoding)
            throws Exception {
        Signal s = Signal.of(signal);
        Message request = request(fixture, s, contentType);
        OtlpEncoding codec = OtlpEncoding.named(encoding);
        List<KeyedRecord> records = codec.encode(s, request);

        assertThat(records).isNotEmpty();
        assertThat(merge(s, records, codec.contentType())).isEqualTo(request);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"trace.json, traces", "metrics.json, metrics", "logs.json, logs"})
    void otlpProtoCutsRecordsToTheLimitAndKeepsEveryItem(String fixture, String signal) throws Exception {
        Signal s = Signal.of(signal);
        Message request = tenfold(s, request(fixture, s, "application/json"));
        OtlpEncoding codec = OtlpEncoding.named("otlp_proto");
        int whole = codec.encode(s, request).stream().mapToInt(r -> r.value().length).max().orElseThrow();
        // A quarter of the largest uncut record: every resource must be cut.
        int limit = whole / 4;
        OtlpEncoding.Fitted fitted = codec.encode(s, request, r -> r.value().length <= limit);

        assertThat(fitted.records()).as("records").hasSizeGreaterThan(4)
                .allSatisfy(r -> assertThat(r.value().length).isLessThanOrEqualTo(limit));
        long cut = items(s, merge(s, fitted.records(), "application/x-protobuf"));
        long refused = fitted.tooLarge().stream().mapToLong(OtlpEncoding.TooLarge::items).sum();
        assertThat(cut + refused).isEqualTo(items(s, request));
    }

    /** {@code request} with every span, metric or log record of each scope there ten times. */
    private static Message tenfold(Signal signal, Message request) {
        switch (signal) {
            case TRACES -> {
                ExportTraceServiceRequest.Builder b = ((ExportTraceServiceRequest) request).toBuilder();
                b.getResourceSpansBuilderList().forEach(r -> r.getScopeSpansBuilderList().forEach(sc -> {
                    var items = List.copyOf(sc.getSpansList());
                    for (int i = 1; i < 10; i++) {
                        sc.addAllSpans(items);
                    }
                }));
                return b.build();
            }
            case METRICS -> {
                ExportMetricsServiceRequest.Builder b = ((ExportMetricsServiceRequest) request).toBuilder();
                b.getResourceMetricsBuilderList().forEach(r -> r.getScopeMetricsBuilderList().forEach(sc -> {
                    var items = List.copyOf(sc.getMetricsList());
                    for (int i = 1; i < 10; i++) {
                        sc.addAllMetrics(items);
                    }
                }));
                return b.build();
            }
            default -> {
                ExportLogsServiceRequest.Builder b = ((ExportLogsServiceRequest) request).toBuilder();
                b.getResourceLogsBuilderList().forEach(r -> r.getScopeLogsBuilderList().forEach(sc -> {
                    var items = List.copyOf(sc.getLogRecordsList());
                    for (int i = 1; i < 10; i++) {
                        sc.addAllLogRecords(items);
                    }
                }));
                return b.build();
            }
        }
    }

    private static Message request(String fixture, Signal signal, String contentType) {
        Message decoded = REQUESTS.decode(signal, contentType, null, Json.resource("fixtures/otlp/" + fixture));
        return OtlpValidation.check(signal, decoded).request();
    }

    /** The records' requests as one request: their resources in record order. */
    private static Message merge(Signal signal, List<KeyedRecord> records, String contentType) {
        Message.Builder all = switch (signal) {
            case TRACES -> ExportTraceServiceRequest.newBuilder();
            case METRICS -> ExportMetricsServiceRequest.newBuilder();
            case LOGS -> ExportLogsServiceRequest.newBuilder();
        };
        for (KeyedRecord r : records) {
            all.mergeFrom(REQUESTS.decode(signal, contentType, null, r.value()));
        }
        return all.build();
    }

    /** Spans, data points or log records in {@code request}. */
    private static long items(Signal signal, Message request) {
        List<Long> counts = new ArrayList<>();
        switch (signal) {
            case TRACES -> ((ExportTraceServiceRequest) request).getResourceSpansList().forEach(r ->
                    r.getScopeSpansList().forEach(sc -> counts.add((long) sc.getSpansCount())));
            case LOGS -> ((ExportLogsServiceRequest) request).getResourceLogsList().forEach(r ->
                    r.getScopeLogsList().forEach(sc -> counts.add((long) sc.getLogRecordsCount())));
            case METRICS -> ((ExportMetricsServiceRequest) request).getResourceMetricsList().forEach(r ->
                    r.getScopeMetricsList().forEach(sc -> sc.getMetricsList().forEach(m -> counts.add((long)
                            (m.getGauge().getDataPointsCount() + m.getSum().getDataPointsCount()
                                    + m.getHistogram().getDataPointsCount()
                                    + m.getExponentialHistogram().getDataPointsCount()
                                    + m.getSummary().getDataPointsCount())))));
        }
        return counts.stream().mapToLong(Long::longValue).sum();
    }
}
