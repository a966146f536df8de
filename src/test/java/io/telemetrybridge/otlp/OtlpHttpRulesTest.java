package io.telemetrybridge.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import io.telemetrybridge.support.Topics.Rec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per OTLP/HTTP rule of the specification, against the running bridge and a real broker. */
@ExtendWith(KafkaBroker.class)
class OtlpHttpRulesTest {

    private static RunningBridge bridge;

    @BeforeAll
    static void start() {
        bridge = RunningBridge.start(Map.of("camel.server.maxBodySize", "1048576",
                "bridge.http.max-decompressed-bytes", "2097152", "bridge.otlp.max-json-depth", "40"));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    /** A fresh random trace id, so each test finds its own records. */
    private static String traceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** One span in OTLP/JSON; {@code spanFields} is spliced into the span object. */
    private static String traceRequest(String traceId, String spanFields) {
        return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"rules\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + traceId + "\","
                + "\"spanId\":\"0102030405060708\",\"name\":\"op\"" + spanFields + "}]}]}]}";
    }

    private static HttpResponse<String> postJson(String path, String body) {
        return bridge.post(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<JsonNode> spansOf(String traceId) {
        return Topics.readAll(bridge.topic("traces")).stream().filter(r -> traceId.equals(r.key()))
                .map(r -> Json.tree(r.value())).toList();
    }

    private static void assertStatus400Naming(HttpResponse<String> response, String text) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode status = Json.tree(response.body());
        assertThat(status.get("code").asInt()).isEqualTo(3);
        assertThat(status.get("message").textValue()).contains(text);
    }

    @Test
    void rejectsBase64TraceIdWith400NamingTheField() {
        String base64 = "W47/95gDgQPSabYzgT/GDA==";
        HttpResponse<String> response = postJson("/v1/traces", traceRequest(base64, ""));
        assertStatus400Naming(response, "resourceSpans[0].scopeSpans[0].spans[0].traceId: expected 32 hex digits");
    }

    @Test
    void rejectsWrongLengthHexSpanIdWith400() {
        String request = traceRequest(traceId(), "").replace("0102030405060708", "010203");
        assertStatus400Naming(postJson("/v1/traces", request), "spans[0].spanId: expected 16 hex digits");
    }

    @Test
    void acceptsUpperCaseHexIdsAndWritesThemLowerCase() {
        String id = traceId();
        assertThat(postJson("/v1/traces", traceRequest(id.toUpperCase(), "")).statusCode()).isEqualTo(200);
        assertThat(spansOf(id)).singleElement().satisfies(s -> assertThat(s.get("trace_id").textValue()).isEqualTo(id));
    }

    @Test
    void keepsInt64ExactWhetherSentAsStringOrNumber() {
        String id = traceId();
        // 2^60 + 1 is not representable as a double: a trip through double would change it.
        String request = traceRequest(id, ",\"startTimeUnixNano\":\"1152921504606846977\","
                + "\"endTimeUnixNano\":1152921504606846979");
        assertThat(postJson("/v1/traces", request).statusCode()).isEqualTo(200);
        JsonNode span = spansOf(id).get(0);
        assertThat(span.get("start_time_unix_nano").asText()).isEqualTo("1152921504606846977");
        assertThat(span.get("end_time_unix_nano").asText()).isEqualTo("1152921504606846979");
        assertThat(span.get("duration_ns").asLong()).isEqualTo(2);
        assertThat(span.get("start_time").textValue()).isEqualTo("2006-07-14T23:58:24.606846977Z");
    }

    @Test
    void readsEnumsAsIntegersAndToleratesTheirNames() {
        String a = traceId();
        String b = traceId();
        assertThat(postJson("/v1/traces", traceRequest(a, ",\"kind\":3,\"status\":{\"code\":2}")).statusCode())
                .isEqualTo(200);
        assertThat(postJson("/v1/traces", traceRequest(b,
                ",\"kind\":\"SPAN_KIND_PRODUCER\",\"status\":{\"code\":\"STATUS_CODE_OK\"}")).statusCode()).isEqualTo(200);
        assertThat(spansOf(a).get(0).get("kind").textValue()).isEqualTo("Client");
        assertThat(spansOf(a).get(0).get("status").get("code").textValue()).isEqualTo("Error");
        assertThat(spansOf(b).get(0).get("kind").textValue()).isEqualTo("Producer");
        assertThat(spansOf(b).get(0).get("status").get("code").textValue()).isEqualTo("Ok");
    }

    @Test
    void ignoresUnknownFields() {
        String id = traceId();
        String request = traceRequest(id, ",\"futureField\":{\"nested\":[1,2,{\"x\":null}]},\"alsoNew\":\"x\"")
                .replace("{\"resourceSpans\"", "{\"somethingElse\":42,\"resourceSpans\"");
        assertThat(postJson("/v1/traces", request).statusCode()).isEqualTo(200);
        assertThat(spansOf(id)).hasSize(1);
    }

    @Test
    void acceptsTheProtoSnakeCaseNames() {
        String id = traceId();
        String request = "{\"resource_spans\":[{\"scope_spans\":[{\"spans\":[{\"trace_id\":\"" + id + "\","
                + "\"span_id\":\"0102030405060708\",\"parent_span_id\":\"0807060504030201\",\"name\":\"snake\","
                + "\"start_time_unix_nano\":\"1000000000\",\"dropped_attributes_count\":7}]}]}]}";
        assertThat(postJson("/v1/traces", request).statusCode()).isEqualTo(200);
        JsonNode span = spansOf(id).get(0);
        assertThat(span.get("parent_span_id").textValue()).isEqualTo("0807060504030201");
        assertThat(span.get("start_time").textValue()).isEqualTo("1970-01-01T00:00:01.000000000Z");
        assertThat(span.get("dropped_attributes_count").asInt()).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=utf-8", "Application/JSON", "application/x-protobuf; proto=x"})
    void mediaTypesMatchInAnyCaseWithParameters(String contentType) throws Exception {
        String id = traceId();
        byte[] body = contentType.toLowerCase().startsWith("application/json")
                ? traceRequest(id, "").getBytes(StandardCharsets.UTF_8) : protobufRequest(id).toByteArray();
        assertThat(bridge.post("/v1/traces", contentType, body).statusCode()).isEqualTo(200);
        assertThat(spansOf(id)).hasSize(1);
    }

    @Test
    void unsupportedMediaTypeIs415WithAStatus() {
        HttpResponse<String> response = bridge.post("/v1/logs", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(Json.tree(response.body()).get("message").textValue())
                .contains("application/x-protobuf or application/json");
    }

    @Test
    void otherMethodsAre405WithAStatusAndAllow() {
        HttpResponse<String> response = bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/metrics")).GET().build());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(Json.tree(response.body()).get("message").textValue()).contains("POST");
    }

    @Test
    void gzipBodiesAreDecompressedWhateverTheCaseOfTheCoding() throws Exception {
        String id = traceId();
        HttpResponse<String> response = bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/traces"))
                .header("Content-Type", "application/json").header("Content-Encoding", "GZIP")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(traceRequest(id, "").getBytes(StandardCharsets.UTF_8))))
                .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(spansOf(id)).hasSize(1);
    }

    @Test
    void badGzipIs400AndUnknownCodingIs415() {
        HttpResponse<String> bad = bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/traces"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceSpans\":[]}")).build());
        assertStatus400Naming(bad, "not valid gzip");
        HttpResponse<String> brotli = bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/traces"))
                .header("Content-Type", "application/json").header("Content-Encoding", "br")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(brotli.statusCode()).isEqualTo(415);
        assertThat(Json.tree(brotli.body()).get("message").textValue()).contains("Content-Encoding 'br'");
    }

    @Test
    void bodyOverTheLimitIs413WithAStatus() {
        byte[] big = new byte[1_100_000];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> response = bridge.post("/v1/traces", "application/json", big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(Json.tree(response.body()).get("code").asInt()).isEqualTo(8);
    }

    @Test
    void integerWithAHugeExponentIsRefusedAtOnceWithAShortMessage() {
        String request = traceRequest(traceId(), ",\"startTimeUnixNano\":\"1e100000000\"");
        HttpResponse<String> response = bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/traces"))
                .header("Content-Type", "application/json").timeout(java.time.Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(request)).build());
        assertStatus400Naming(response, "spans[0].startTimeUnixNano: integer out of range: 1e100000000");
        assertThat(response.body().length()).isLessThan(400);
    }

    @Test
    void doubleLiteralBeyondTheRangeIs400() {
        String request = "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"m\",\"gauge\":"
                + "{\"dataPoints\":[{\"asDouble\":1e400}]}}]}]}]}";
        assertStatus400Naming(postJson("/v1/metrics", request), "asDouble: number out of range");
    }

    @Test
    void unsignedTimestampsAndCountsAboveTheSignedRangeStayExact() {
        String id = traceId();
        String request = traceRequest(id, ",\"startTimeUnixNano\":\"18446744073709551615\","
                + "\"droppedAttributesCount\":4294967295");
        assertThat(postJson("/v1/traces", request).statusCode()).isEqualTo(200);
        JsonNode span = spansOf(id).get(0);
        assertThat(span.get("start_time_unix_nano").asText()).isEqualTo("18446744073709551615");
        assertThat(span.get("start_time").textValue()).isEqualTo("2554-07-21T23:34:33.709551615Z");
        assertThat(span.get("dropped_attributes_count").asLong()).isEqualTo(4294967295L);
        assertThat(span.get("duration_ns").isNull()).isTrue();
    }

    @Test
    void duplicateKeysAndTwoMembersOfAOneofAre400() {
        String duplicate = traceRequest(traceId(), ",\"name\":\"again\"");
        assertStatus400Naming(postJson("/v1/traces", duplicate), "Duplicate field 'name'");
        String twoValues = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":"
                + "{\"stringValue\":\"s\",\"intValue\":\"7\"}}]}]}]}";
        assertStatus400Naming(postJson("/v1/logs", twoValues), "logRecords[0].body.intValue: only one of");
    }

    @Test
    void inconsistentHistogramPointsAreRejectedAsPartialSuccess() {
        String request = "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":{\"stringValue\":\"histo-check\"}}]},\"scopeMetrics\":[{\"metrics\":[{\"name\":\"h\","
                + "\"histogram\":{\"dataPoints\":["
                + "{\"count\":\"3\",\"bucketCounts\":[\"1\",\"1\",\"1\",\"0\",\"0\"],\"explicitBounds\":[1,2]},"
                + "{\"count\":\"2\",\"bucketCounts\":[\"1\",\"1\"],\"explicitBounds\":[5,1]},"
                + "{\"count\":\"2\",\"bucketCounts\":[\"1\",\"1\",\"0\"],\"explicitBounds\":[1,2]}]}}]}]}]}";
        HttpResponse<String> response = postJson("/v1/metrics", request);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.tree(response.body()).get("partialSuccess").get("rejectedDataPoints").asText()).isEqualTo("2");
        assertThat(Topics.readAll(bridge.topic("metrics")).stream().filter(r -> "histo-check".equals(r.key()))
                .count()).isEqualTo(1);
    }

    @Test
    void decompressionBombIs413WithAStatus() throws Exception {
        // 200 MB of JSON whitespace inflates from about 200 KB of gzip; the limit here is 2 MB.
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) ' ');
            for (int i = 0; i < 200; i++) {
                gz.write(chunk);
            }
        }
        assertThat(compressed.size()).isLessThan(1_048_576);
        HttpResponse<String> response = bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/logs"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(compressed.toByteArray())).build());
        assertThat(response.statusCode()).isEqualTo(413);
        JsonNode status = Json.tree(response.body());
        assertThat(status.get("code").asInt()).isEqualTo(8);
        assertThat(status.get("message").textValue()).contains("larger than 2097152 bytes once decompressed");
    }

    @Test
    void deepNestingIs400NotAStackOverflow() {
        String deep = "{\"kvlistValue\":{\"values\":[{\"key\":\"k\",\"value\":".repeat(500) + "{\"intValue\":\"1\"}"
                + "}]}}".repeat(500);
        String request = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":" + deep + "}]}]}]}";
        HttpResponse<String> response = postJson("/v1/logs", request);
        assertStatus400Naming(response, "nested too deeply");
    }

    @Test
    void deepNestingInProtobufIs400Too() {
        // Nested kvlist values, 200 levels, built bottom-up in the binary encoding.
        var value = io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setIntValue(1).build();
        for (int i = 0; i < 200; i++) {
            value = io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setKvlistValue(
                    io.opentelemetry.proto.common.v1.KeyValueList.newBuilder().addValues(
                            io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("k").setValue(value))).build();
        }
        var request = io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(io.opentelemetry.proto.logs.v1.ResourceLogs.newBuilder().addScopeLogs(
                        io.opentelemetry.proto.logs.v1.ScopeLogs.newBuilder().addLogRecords(
                                io.opentelemetry.proto.logs.v1.LogRecord.newBuilder().setBody(value)))).build();
        HttpResponse<String> response = bridge.post("/v1/logs", "application/x-protobuf", request.toByteArray());
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void errorAnswerMirrorsAProtobufRequest() throws Exception {
        HttpResponse<byte[]> response = sendBytes("/v1/traces", "application/x-protobuf", new byte[] {0x0a, 0x7f, 0x01});
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
        Status status = Status.parseFrom(response.body());
        assertThat(status.getCode()).isEqualTo(3);
        assertThat(status.getMessage()).contains("not a valid protobuf ExportTraceServiceRequest");
    }

    @Test
    void partialSuccessReportsRejectedSpansAndPublishesTheRest() throws Exception {
        String good = traceId();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder().addResourceSpans(
                ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(span(good, "good"))
                        .addSpans(span(good, "short trace id").toBuilder().setTraceId(ByteString.copyFrom(new byte[3])))
                        .addSpans(span(good, "zero span id").toBuilder().setSpanId(ByteString.copyFrom(new byte[8])))))
                .build();

        HttpResponse<byte[]> response = sendBytes("/v1/traces", "application/x-protobuf", request.toByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
        assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
        assertThat(answer.getPartialSuccess().getErrorMessage()).contains("2 span(s) rejected");
        assertThat(spansOf(good)).extracting(s -> s.get("name").textValue()).containsExactly("good");
    }

    @Test
    void partialSuccessInJsonUsesTheJsonNames() {
        String id = traceId();
        String request = traceRequest(id, "").replace("0102030405060708", "0000000000000000");
        HttpResponse<String> response = postJson("/v1/traces", request);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode partial = Json.tree(response.body()).get("partialSuccess");
        assertThat(partial.get("rejectedSpans").asText()).isEqualTo("1");
        assertThat(partial.get("errorMessage").textValue()).contains("span_id");
    }

    @Test
    void emptyRequestIsValid() {
        assertThat(postJson("/v1/metrics", "{}").statusCode()).isEqualTo(200);
        assertThat(bridge.post("/v1/logs", "application/x-protobuf", new byte[0]).statusCode()).isEqualTo(200);
    }

    @Test
    void noInboundHeaderReachesKafka() {
        String id = traceId();
        HttpResponse<String> response = bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/traces"))
                .header("Content-Type", "application/json")
                .header("kafka.OVERRIDE_TOPIC", "elsewhere").header("CamelKafkaKey", "forced")
                .header("X-Api-Key", "secret").POST(HttpRequest.BodyPublishers.ofString(traceRequest(id, ""))).build());
        assertThat(response.statusCode()).isEqualTo(200);
        Rec rec = Topics.readAll(bridge.topic("traces")).stream().filter(r -> id.equals(r.key())).findFirst()
                .orElseThrow();
        assertThat(rec.headers().keySet()).containsExactlyInAnyOrder("telemetry.signal", "telemetry.source",
                "content-type", "telemetry.schema-version");
    }

    private static Span span(String traceId, String name) {
        return Span.newBuilder().setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
                .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("0a0b0c0d0e0f0102"))).setName(name)
                .setStartTimeUnixNano(1_000).setEndTimeUnixNano(2_000).build();
    }

    private static ExportTraceServiceRequest protobufRequest(String traceId) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span(traceId, "proto")))).build();
    }

    private static HttpResponse<byte[]> sendBytes(String path, String contentType, byte[] body) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(bridge.uri(path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
