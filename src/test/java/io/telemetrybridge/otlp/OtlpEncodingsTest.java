package io.telemetrybridge.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import io.telemetrybridge.support.Topics.Rec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The {@code otlp_proto} and {@code otlp_json} record encodings, end to end. */
@ExtendWith(KafkaBroker.class)
class OtlpEncodingsTest {

    @Test
    void otlpProtoRecordsAreTheExportRequestPerResourceAndTrace() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(Map.of("bridge.otlp.traces.encoding", "otlp_proto",
                "bridge.otlp.metrics.encoding", "otlp_proto"))) {
            byte[] traces = Json.resource("fixtures/otlp/trace.protobuf-bin");
            byte[] metrics = Json.resource("fixtures/otlp/metrics.protobuf-bin");
            assertThat(bridge.post("/v1/traces", "application/x-protobuf", traces).statusCode()).isEqualTo(200);
            assertThat(bridge.post("/v1/metrics", "application/x-protobuf", metrics).statusCode()).isEqualTo(200);

            Rec span = Topics.readAll(bridge.topic("traces")).get(0);
            assertThat(span.key()).isEqualTo("5b8efff798038103d269b633813fc60c");
            assertThat(span.headers()).containsEntry("content-type", "application/x-protobuf")
                    .containsEntry("telemetry.schema-version", "otlp_proto");
            // The fixture has one resource and one trace, so the record is the request itself.
            assertThat(ExportTraceServiceRequest.parseFrom(bytes(span)))
                    .isEqualTo(ExportTraceServiceRequest.parseFrom(traces));
            Rec points = Topics.readAll(bridge.topic("metrics")).get(0);
            assertThat(points.key()).isEqualTo("my.service");
            assertThat(ExportMetricsServiceRequest.parseFrom(bytes(points)))
                    .isEqualTo(ExportMetricsServiceRequest.parseFrom(metrics));
        }
    }

    @Test
    void tracesAreSplitByTraceIdSoEachTraceKeepsOnePartition() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(Map.of("bridge.otlp.traces.encoding", "otlp_proto"))) {
            String a = "0af7651916cd43dd8448eb211c80319c";
            String b = "4bf92f3577b34da6a3ce929d0e0e4736";
            String request = "{\"resourceSpans\":[{\"scopeSpans\":[{\"scope\":{\"name\":\"s\"},\"spans\":["
                    + "{\"traceId\":\"" + a + "\",\"spanId\":\"0102030405060708\",\"name\":\"a1\"},"
                    + "{\"traceId\":\"" + b + "\",\"spanId\":\"0102030405060709\",\"name\":\"b1\"},"
                    + "{\"traceId\":\"" + a + "\",\"spanId\":\"010203040506070a\",\"name\":\"a2\"}]}]}]}";
            assertThat(bridge.post("/v1/traces", "application/json", request.getBytes(StandardCharsets.UTF_8))
                    .statusCode()).isEqualTo(200);

            List<Rec> records = Topics.readAll(bridge.topic("traces"));
            assertThat(records).extracting(Rec::key).containsExactlyInAnyOrder(a, b);
            Rec ofA = records.stream().filter(r -> a.equals(r.key())).findFirst().orElseThrow();
            var spans = ExportTraceServiceRequest.parseFrom(bytes(ofA)).getResourceSpans(0).getScopeSpans(0);
            assertThat(spans.getScope().getName()).isEqualTo("s");
            assertThat(spans.getSpansList()).extracting(s -> s.getName()).containsExactly("a1", "a2");
        }
    }

    @Test
    void otlpJsonRecordsAreOtlpJsonWithHexIdsAndReadBackToTheSameRequest() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(Map.of("bridge.otlp.logs.encoding", "otlp_json"))) {
            byte[] logs = Json.resource("fixtures/otlp/logs.json");
            assertThat(bridge.post("/v1/logs", "application/json", logs).statusCode()).isEqualTo(200);

            Rec rec = Topics.readAll(bridge.topic("logs")).get(0);
            assertThat(rec.headers()).containsEntry("content-type", "application/json")
                    .containsEntry("telemetry.schema-version", "otlp_json");
            assertThat(rec.value()).contains("\"traceId\":\"5b8efff798038103d269b633813fc60c\"")
                    .contains("\"timeUnixNano\":\"1544712660300000000\"").contains("\"severityNumber\":10");
            OtlpJsonReader reader = new OtlpJsonReader(64);
            ExportLogsServiceRequest written = reader.read(new ByteArrayInputStream(bytes(rec)),
                    ExportLogsServiceRequest.newBuilder()).build();
            ExportLogsServiceRequest sent = reader.read(new ByteArrayInputStream(logs),
                    ExportLogsServiceRequest.newBuilder()).build();
            assertThat(written).isEqualTo(sent);
        }
    }

    @Test
    void unknownEncodingStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> RunningBridge.start(Map.of("bridge.otlp.metrics.encoding", "avro")))
                .hasMessageContaining("bridge.otlp.metrics.encoding: unknown encoding 'avro': expected json, "
                        + "otlp_proto or otlp_json");
    }

    private static byte[] bytes(Rec rec) {
        return rec.raw();
    }
}
