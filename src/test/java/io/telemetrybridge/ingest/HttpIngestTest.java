package io.telemetrybridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import io.telemetrybridge.support.Topics.Rec;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed's HTTP API against the real routes, a real broker and real HTTP. */
@ExtendWith(KafkaBroker.class)
class HttpIngestTest {

    private static RunningBridge bridge;

    @BeforeAll
    static void start() {
        bridge = RunningBridge.start(Map.of("camel.server.maxBodySize", "65536",
                "camel.component.kafka.max-request-size", "4096"));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @ParameterizedTest
    @EnumSource(Signal.class)
    void eachBatchTypeLandsAsOneRecordPerItemWithKeyAndOurHeadersOnly(Signal signal) {
        byte[] batch = Json.resource("golden/seed/" + signal.id() + "-batch.json");
        JsonNode expected = Json.resourceTree("golden/seed/" + signal.id() + "-records.json");

        HttpResponse<String> response = bridge.send(HttpRequest.newBuilder(bridge.uri("/api/v1/" + signal.id()))
                .header("Content-Type", "application/json")
                .header("X-Tenant-Secret", "must-not-reach-kafka")
                .header("Authorization", "Bearer also-not")
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch)).build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode result = Json.tree(response.body());
        assertThat(result.get("records_written").asInt()).isEqualTo(expected.size());
        assertThat(result.get("records_failed").asInt()).isZero();
        assertThat(result.get("duration_ms").isIntegralNumber()).isTrue();
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.startsWith("telemetry")
                || h.toLowerCase().startsWith("camel"));

        List<Rec> records = Topics.readAll(bridge.topic(signal.id()));
        assertThat(records).hasSize(expected.size());
        List<Rec> unmatched = new ArrayList<>(records);
        for (JsonNode want : expected) {
            String key = want.get("key").isNull() ? null : want.get("key").textValue();
            Rec match = unmatched.stream()
                    .filter(r -> java.util.Objects.equals(r.key(), key)
                            && Json.sameTree(want.get("value"), Json.tree(r.value())))
                    .findFirst().orElseThrow(() -> new AssertionError("no record " + want + " in " + records));
            unmatched.remove(match);
            assertThat(match.headers()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "telemetry.signal", signal.id(),
                    "telemetry.source", "http",
                    "content-type", "application/json",
                    "telemetry.schema-version", "1"));
        }
    }

    @Test
    void headersThatWouldSteerTheKafkaProducerAreIgnoredWhateverTheirCase() {
        String traceId = "2222222222222222222222222222222" + (System.nanoTime() % 10);
        String batch = "{\"id\":\"6a1e2d3c-4b5a-4968-8776-655443322110\",\"timestamp\":\"2025-01-01T00:00:00Z\","
                + "\"traces\":[{\"trace_id\":\"" + traceId + "\",\"span_id\":\"00000000000000a1\",\"name\":\"n\","
                + "\"kind\":\"Internal\",\"start_time\":\"2025-01-01T00:00:00Z\",\"status\":{\"code\":\"Ok\"}}]}";
        HttpResponse<String> response = bridge.send(HttpRequest.newBuilder(bridge.uri("/api/v1/traces"))
                .header("Content-Type", "application/json")
                .header("CamelKafkaOverrideTopic", bridge.topic("logs"))
                .header("camelkafkakey", "forced-key").header("CAMELKAFKAPARTITIONKEY", "2")
                .header("CamelKafkaOverrideTimestamp", "0")
                .header("kafka.KEY", "forced-key").header("kafka.OVERRIDE_TOPIC", bridge.topic("logs"))
                .header("Authorization", "Bearer secret").header("Cookie", "session=secret")
                .POST(HttpRequest.BodyPublishers.ofString(batch)).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("camel")
                || h.toLowerCase().startsWith("telemetry") || h.toLowerCase().startsWith("kafka"));

        Rec rec = Topics.readAll(bridge.topic("traces")).stream().filter(r -> traceId.equals(r.key())).findFirst()
                .orElseThrow(() -> new AssertionError("the span is not on the traces topic under its trace id"));
        assertThat(rec.headers().keySet()).containsExactlyInAnyOrder("telemetry.signal", "telemetry.source",
                "content-type", "telemetry.schema-version");
        assertThat(Topics.readAll(bridge.topic("logs"))).noneMatch(r -> r.value().contains(traceId));
    }

    @Test
    void metricsEndpointHasOurMetersAndTheKafkaProducersOwn() {
        assertThat(bridge.post("/api/v1/logs", "application/json", Json.resource("golden/seed/logs-batch.json"))
                .statusCode()).isEqualTo(200);
        String metrics = bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/metrics")).build()).body();
        assertThat(metrics)
                .containsPattern("telemetry_bridge_records_accepted_total\\{signal=\"logs\",source=\"http\"} [1-9]")
                .contains("telemetry_bridge_publish_latency_seconds_bucket{signal=\"logs\",source=\"http\"")
                .containsPattern("telemetry_bridge_request_bytes_count\\{signal=\"logs\",source=\"http\"} [1-9]")
                .contains("kafka_producer_record_send_total")
                .contains("camel_exchanges_total{");
    }

    @Test
    void spansOfOneTraceShareAPartitionInTheOrderSent() {
        String traceId = "11111111111111111111111111111111";
        StringBuilder spans = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            spans.append(i == 0 ? "" : ",").append("{\"trace_id\":\"").append(traceId).append("\",\"span_id\":\"")
                    .append(String.format("%016x", i + 1)).append("\",\"name\":\"op").append(i).append("\",\"kind\":\"Internal\","
                            + "\"start_time\":\"2025-01-01T00:00:00Z\",\"status\":{\"code\":\"Ok\"}}");
        }
        String batch = "{\"id\":\"6a1e2d3c-4b5a-4968-8776-655443322110\",\"timestamp\":\"2025-01-01T00:00:00Z\","
                + "\"traces\":[" + spans + "]}";
        assertThat(bridge.post("/api/v1/traces", "application/json", batch.getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(200);

        List<Rec> ofTrace = Topics.readAll(bridge.topic("traces")).stream()
                .filter(r -> traceId.equals(r.key())).toList();
        assertThat(ofTrace).hasSize(20);
        assertThat(ofTrace).extracting(Rec::partition).containsOnly(ofTrace.get(0).partition());
        assertThat(ofTrace).extracting(r -> Json.tree(r.value()).get("span_id").textValue())
                .containsExactly(java.util.stream.IntStream.range(0, 20).mapToObj(i -> String.format("%016x", i + 1)).toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad third variant | {'id':'0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60','timestamp':'2025-01-01T00:00:00Z','metrics':["
            + "{'name':'a','metric_type':'Gauge','value':{'Gauge':1},'timestamp':'2025-01-01T00:00:00Z'},"
            + "{'name':'b','metric_type':'Gauge','value':{'Gauge':2},'timestamp':'2025-01-01T00:00:00Z'},"
            + "{'name':'c','metric_type':'Gauge','value':{'Gaug':3},'timestamp':'2025-01-01T00:00:00Z'}]}"
            + " | metrics[2].value | metrics[2].value: expected one of Counter, Gauge, Histogram, Summary, got \"Gaug\"",
        "missing timestamp after a good item | {'id':'0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60','timestamp':'2025-01-01T00:00:00Z','metrics':["
            + "{'name':'a','metric_type':'Gauge','value':{'Gauge':1},'timestamp':'2025-01-01T00:00:00Z'},"
            + "{'name':'b','metric_type':'Counter','value':{'Counter':2}}]}"
            + " | metrics[1].timestamp | metrics[1].timestamp: required field is missing or null",
        "truncated JSON | {'id':'0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60','metrics':[{'name':'a' |  | ",
    })
    void invalidBatchIs400NamingTheFieldAndPublishesNothing(String what, String body, String field, String message) {
        long before = Topics.endOffsetSum(bridge.topic("metrics"));

        HttpResponse<String> response = bridge.post("/api/v1/metrics", "application/json",
                body.replace('\'', '"').getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = Json.tree(response.body());
        assertThat(error.get("status").asInt()).isEqualTo(400);
        if (field != null) {
            assertThat(error.get("field").textValue()).isEqualTo(field);
            assertThat(error.get("message").textValue()).isEqualTo(message);
        } else {
            assertThat(error.get("message").textValue()).contains("malformed JSON: Unexpected end-of-input")
                    .doesNotContain("Source");
        }
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
        assertThat(Topics.endOffsetSum(bridge.topic("metrics"))).isEqualTo(before);
    }

    @Test
    void batchWithoutItsItemListIs400NotAnEmptySuccess() {
        // A metrics batch posted to the logs endpoint has no "logs" list.
        HttpResponse<String> response = bridge.post("/api/v1/logs", "application/json",
                Json.resource("golden/seed/metrics-batch.json"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.tree(response.body()).get("message").textValue())
                .isEqualTo("logs: required field is missing or null");
    }

    @Test
    void overflowingNumberIs400NotInfinity() {
        String batch = "{'id':'0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60','timestamp':'2025-01-01T00:00:00Z','metrics':["
                + "{'name':'a','metric_type':'Gauge','value':{'Gauge':1e400},'timestamp':'2025-01-01T00:00:00Z'}]}";
        HttpResponse<String> response = bridge.post("/api/v1/metrics", "application/json",
                batch.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.tree(response.body()).get("message").textValue())
                .isEqualTo("metrics[0].value.Gauge: expected a finite number, got Infinity");
    }

    @Test
    void itemTooLargeForKafkaIs413BeforeAnythingIsPublished() {
        long before = Topics.endOffsetSum(bridge.topic("logs"));
        String big = "x".repeat(5000);
        String batch = "{'id':'0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60','timestamp':'2025-01-01T00:00:00Z','logs':["
                + "{'timestamp':'2025-01-01T00:00:00Z','level':'Info','message':'small'},"
                + "{'timestamp':'2025-01-01T00:00:00Z','level':'Info','message':'" + big + "'},"
                + "{'timestamp':'2025-01-01T00:00:00Z','level':'Info','message':'small too'}]}";

        HttpResponse<String> response = bridge.post("/api/v1/logs", "application/json",
                batch.replace('\'', '"').getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(413);
        JsonNode error = Json.tree(response.body());
        assertThat(error.get("field").textValue()).isEqualTo("logs[1]");
        assertThat(error.get("message").textValue()).contains("over the limit of 4096 bytes");
        assertThat(Topics.endOffsetSum(bridge.topic("logs"))).isEqualTo(before);
    }

    @Test
    void charsetOtherThanUtf8Is415() {
        assertThat(bridge.post("/api/v1/logs", "application/json; charset=ISO-8859-1",
                Json.resource("golden/seed/logs-batch.json")).statusCode()).isEqualTo(415);
    }

    @Test
    void emptyBodyIs400() {
        HttpResponse<String> response = bridge.post("/api/v1/logs", "application/json", new byte[0]);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.tree(response.body()).get("message").textValue()).contains("empty request body");
    }

    @Test
    void emptyBatchIsAcceptedWithNothingWritten() {
        HttpResponse<String> response = bridge.post("/api/v1/logs", "application/json",
                "{\"id\":\"0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60\",\"timestamp\":\"2025-01-01T00:00:00Z\",\"logs\":[]}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.tree(response.body()).get("records_written").asInt()).isZero();
    }

    @ParameterizedTest
    // Not application/x-www-form-urlencoded: Vert.x parses such a body as a form first and answers 400 itself.
    @ValueSource(strings = {"text/plain", "application/xml", "application/jsonx"})
    void otherMediaTypesAre415(String contentType) {
        HttpResponse<String> response = bridge.post("/api/v1/metrics", contentType,
                Json.resource("golden/seed/metrics-batch.json"));
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(Json.tree(response.body()).get("message").textValue()).contains("application/json");
    }

    @Test
    void missingContentTypeIs415() {
        assertThat(bridge.post("/api/v1/metrics", null, Json.resource("golden/seed/metrics-batch.json"))
                .statusCode()).isEqualTo(415);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=utf-8", "Application/JSON", "APPLICATION/JSON;charset=UTF-8"})
    void jsonMediaTypeMatchesInAnyCaseAndWithParameters(String contentType) {
        assertThat(bridge.post("/api/v1/logs", contentType, Json.resource("golden/seed/logs-batch.json"))
                .statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE"})
    void otherMethodsAre405(String method) {
        HttpResponse<String> response = bridge.send(HttpRequest.newBuilder(bridge.uri("/api/v1/traces"))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void bodyOverTheLimitIs413AndPublishesNothing() {
        long before = Topics.endOffsetSum(bridge.topic("logs"));
        byte[] big = new byte[70_000];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThat(bridge.post("/api/v1/logs", "application/json", big).statusCode()).isEqualTo(413);
        assertThat(Topics.endOffsetSum(bridge.topic("logs"))).isEqualTo(before);
    }
}
