package io.telemetrybridge.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With the otlp_proto / otlp_json encodings a record holds a resource's data (per trace for traces). When that is
 * over the topic's limit it is cut into several records of the same key, each a valid export request, down to a
 * single item; only an item too large on its own is refused (partial success), and nothing is published twice.
 */
@ExtendWith(KafkaBroker.class)
class OtlpSplitTest {

    static RunningBridge bridge;

    @BeforeAll
    static void start() {
        bridge = RunningBridge.start(Map.of("camel.component.kafka.max-request-size", "4096",
                "bridge.otlp.traces.encoding", "otlp_proto", "bridge.otlp.metrics.encoding", "otlp_json"));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @Test
    void aTraceOverTheLimitIsCutIntoRecordsOfItsKeyAndOnlyTheHugeSpanIsRefused() throws Exception {
        byte[] traceId = bytes(UUID.randomUUID());
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            names.add("span-" + i + "-" + "x".repeat(300));
            scope.addSpans(span(traceId, i, names.get(i)));
        }
        scope.addSpans(span(traceId, 99, "huge-" + "y".repeat(6000)));
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans
                .newBuilder().setResource(resource("split-svc")).addScopeSpans(scope)).build();

        HttpResponse<byte[]> response = bridge.sendBytes(HttpRequest.newBuilder(bridge.uri("/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build());

        assertThat(response.statusCode()).isEqualTo(200);
        ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
        assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(answer.getPartialSuccess().getErrorMessage()).contains("over the limit of 4096 bytes");
        String key = hex(traceId);
        List<Topics.Rec> records = Topics.readAll(bridge.topic("traces")).stream().filter(r -> key.equals(r.key()))
                .toList();
        assertThat(records.size()).as("records of the trace").isGreaterThan(1);
        List<String> published = new ArrayList<>();
        for (Topics.Rec r : records) {
            assertThat(r.raw().length).isLessThanOrEqualTo(4096);
            ResourceSpans rs = ExportTraceServiceRequest.parseFrom(r.raw()).getResourceSpans(0);
            assertThat(rs.getResource()).isEqualTo(resource("split-svc"));
            rs.getScopeSpansList().forEach(s -> s.getSpansList().forEach(sp -> published.add(sp.getName())));
        }
        assertThat(published).containsExactlyElementsOf(names);
    }

    @Test
    void aMetricWithManyDataPointsIsCutByDataPoint() throws Exception {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int i = 0; i < 40; i++) {
            gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(1_700_000_000_000_000_000L + i)
                    .setAsDouble(i).addAttributes(KeyValue.newBuilder().setKey("pod").setValue(AnyValue.newBuilder()
                            .setStringValue("pod-" + i + "-" + "z".repeat(200)))));
        }
        String service = "split-metrics-" + UUID.randomUUID().toString().substring(0, 8);
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
                ResourceMetrics.newBuilder().setResource(resource(service)).addScopeMetrics(ScopeMetrics.newBuilder()
                        .addMetrics(Metric.newBuilder().setName("queue.depth").setUnit("1").setGauge(gauge)))).build();

        HttpResponse<String> response = bridge.post("/v1/metrics", "application/json",
                OtlpJsonWriter.write(request));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.tree(response.body()).has("partialSuccess")).isFalse();
        List<Double> values = new ArrayList<>();
        int records = 0;
        for (Topics.Rec r : Topics.readAll(bridge.topic("metrics"))) {
            if (!r.value().contains(service)) {
                continue;
            }
            records++;
            ExportMetricsServiceRequest part = (ExportMetricsServiceRequest) new OtlpRequests(64, Long.MAX_VALUE)
                    .decode(io.telemetrybridge.model.Signal.METRICS, "application/json", null, r.raw());
            // The data points of one record are back in one metric.
            assertThat(part.getResourceMetrics(0).getScopeMetricsCount()).isEqualTo(1);
            assertThat(part.getResourceMetrics(0).getScopeMetrics(0).getMetricsCount()).isEqualTo(1);
            Metric m = part.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
            assertThat(m.getName()).isEqualTo("queue.depth");
            assertThat(m.getUnit()).isEqualTo("1");
            m.getGauge().getDataPointsList().forEach(p -> values.add(p.getAsDouble()));
        }
        assertThat(records).isGreaterThan(1);
        assertThat(values).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    void aResourceTooLargeOnItsOwnIsRefusedAsOneDeadLetterNextToOneThatFits() throws Exception {
        byte[] traceId = bytes(UUID.randomUUID());
        ScopeSpans.Builder spans = ScopeSpans.newBuilder();
        for (int i = 0; i < 50; i++) {
            spans.addSpans(span(traceId, i, "span-" + i));
        }
        Resource huge = Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("blob")
                .setValue(AnyValue.newBuilder().setStringValue("q".repeat(6000)))).build();
        byte[] otherTrace = bytes(UUID.randomUUID());
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(huge).addScopeSpans(spans))
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource("fits"))
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span(otherTrace, 1, "kept"))))
                .build();

        HttpResponse<byte[]> response = bridge.sendBytes(HttpRequest.newBuilder(bridge.uri("/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build());

        assertThat(response.statusCode()).isEqualTo(200);
        ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
        assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(50);
        assertThat(answer.getPartialSuccess().getErrorMessage())
                .startsWith("50 item(s) too large for Kafka in 1 record(s), e.g.: ");
        assertThat(Topics.readAll(bridge.topic("traces")).stream().filter(r -> hex(otherTrace).equals(r.key())))
                .hasSize(1);
        List<Topics.Rec> letters = Topics.readAll(bridge.topic("dlq")).stream()
                .filter(r -> hex(traceId).equals(r.headers().get("telemetry.dlq.record.key"))).toList();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).headers()).containsEntry("telemetry.dlq.record.items", "50")
                .containsEntry("telemetry.dlq.http.path", "/v1/traces")
                .containsEntry("telemetry.dlq.payload.size", String.valueOf(request.getSerializedSize()));
        assertThat(letters.get(0).raw()).isEmpty();
    }

    private static Span span(byte[] traceId, int i, String name) {
        return Span.newBuilder().setTraceId(ByteString.copyFrom(traceId))
                .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(i + 1L).array())).setName(name)
                .setStartTimeUnixNano(1_700_000_000_000_000_000L).setEndTimeUnixNano(1_700_000_001_000_000_000L)
                .build();
    }

    private static Resource resource(String service) {
        return Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service))).build();
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b));
        }
        return s.toString();
    }
}
