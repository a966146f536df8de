package io.telemetrybridge.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.OtlpGrpcClient;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OTLP/gRPC against the real bridge and a real broker: the OpenTelemetry Java SDK configured as users configure
 * it, and a raw grpc-java client for the status paths (bad protobuf, unknown coding, gzip bomb, metadata,
 * health, a stopped route).
 */
@ExtendWith(KafkaBroker.class)
class OtlpGrpcTest {

    private static RunningBridge bridge;
    private static OtlpGrpcClient client;

    @BeforeAll
    static void start() {
        bridge = RunningBridge.start(Map.of("bridge.http.max-decompressed-bytes", "1048576"));
        client = new OtlpGrpcClient(bridge.grpcPort());
    }

    @AfterAll
    static void stop() {
        client.close();
        bridge.close();
    }

    @ParameterizedTest(name = "compression={0}")
    @ValueSource(strings = {"none", "gzip"})
    void sdkConfiguredForGrpcExportsAllThreeSignals(String compression) {
        String service = "grpc-sdk-" + compression + "-" + UUID.randomUUID().toString().substring(0, 6);
        AutoConfiguredOpenTelemetrySdk configured = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of(
                        // What OTEL_EXPORTER_OTLP_PROTOCOL=grpc and OTEL_EXPORTER_OTLP_ENDPOINT say.
                        "otel.exporter.otlp.protocol", "grpc",
                        "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + bridge.grpcPort(),
                        "otel.exporter.otlp.compression", compression,
                        "otel.service.name", service,
                        "otel.metric.export.interval", "3600000"))
                .disableShutdownHook().build();
        OpenTelemetrySdk sdk = configured.getOpenTelemetrySdk();
        String traceId;
        try {
            Span span = sdk.getTracer("grpc-test").spanBuilder("checkout").setAttribute("http.status_code", 200L)
                    .startSpan();
            traceId = span.getSpanContext().getTraceId();
            span.end();
            sdk.getMeter("grpc-test").counterBuilder("orders").build()
                    .add(7, Attributes.of(AttributeKey.stringKey("region"), "eu"));
            sdk.getLogsBridge().get("grpc-test").logRecordBuilder().setSeverity(Severity.ERROR)
                    .setBody("payment failed").emit();
            assertThat(sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            assertThat(sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            assertThat(sdk.getSdkLoggerProvider().forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        } finally {
            sdk.shutdown().join(10, TimeUnit.SECONDS);
        }

        Topics.Rec spanRecord = Topics.readAll(bridge.topic("traces")).stream()
                .filter(r -> traceId.equals(r.key())).findFirst().orElseThrow();
        JsonNode span = Json.tree(spanRecord.value());
        assertThat(span.get("name").textValue()).isEqualTo("checkout");
        assertThat(span.get("service_name").textValue()).isEqualTo(service);
        assertThat(span.get("attributes").get("http.status_code").textValue()).isEqualTo("200");
        assertThat(spanRecord.headers()).containsEntry("telemetry.source", "otlp-grpc")
                .containsEntry("telemetry.signal", "traces");

        List<JsonNode> points = Topics.readAll(bridge.topic("metrics")).stream().filter(r -> r.key() != null && r.key().startsWith(service))
                .map(r -> Json.tree(r.value())).toList();
        assertThat(points).anySatisfy(p -> {
            assertThat(p.get("name").textValue()).isEqualTo("orders");
            assertThat(p.get("value").get("Counter").asDouble()).isEqualTo(7.0);
            assertThat(p.get("labels").get("region").textValue()).isEqualTo("eu");
        });
        List<JsonNode> logs = Topics.readAll(bridge.topic("logs")).stream().filter(r -> r.key() != null && r.key().startsWith(service))
                .map(r -> Json.tree(r.value())).toList();
        assertThat(logs).singleElement().satisfies(l -> {
            assertThat(l.get("message").textValue()).isEqualTo("payment failed");
            assertThat(l.get("level").textValue()).isEqualTo("Error");
        });
    }

    @Test
    void theSameRequestGivesTheSameRecordsOverHttpAndGrpcButForTheSource() throws Exception {
        String service = "same-" + UUID.randomUUID();
        byte[] request = withService(Json.resource("fixtures/otlp/trace.protobuf-bin"), service);

        HttpRequest http = HttpRequest.newBuilder(bridge.uri("/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build();
        assertThat(bridge.sendBytes(http).statusCode()).isEqualTo(200);
        OtlpGrpcClient.Answer answer = client.export("traces", request);
        assertThat(answer.code()).isEqualTo(Status.Code.OK);
        assertThat(ExportTraceServiceResponse.parseFrom(answer.response()).hasPartialSuccess()).isFalse();

        List<Topics.Rec> records = Topics.readAll(bridge.topic("traces")).stream()
                .filter(r -> r.value().contains(service)).toList();
        List<Topics.Rec> overHttp = records.stream()
                .filter(r -> "otlp-http".equals(r.headers().get("telemetry.source"))).toList();
        List<Topics.Rec> overGrpc = records.stream()
                .filter(r -> "otlp-grpc".equals(r.headers().get("telemetry.source"))).toList();
        assertThat(overHttp).isNotEmpty();
        assertThat(overGrpc).hasSameSizeAs(overHttp);
        for (int i = 0; i < overHttp.size(); i++) {
            Topics.Rec h = overHttp.get(i);
            Topics.Rec g = overGrpc.get(i);
            assertThat(g.key()).isEqualTo(h.key());
            assertThat(g.partition()).isEqualTo(h.partition());
            assertThat(g.value()).isEqualTo(h.value());
            Map<String, String> headers = new java.util.HashMap<>(h.headers());
            headers.put("telemetry.source", "otlp-grpc");
            assertThat(g.headers()).isEqualTo(headers);
        }
    }

    @Test
    void undecodableMessageIsInvalidArgumentAndDeadLetteredWithTheMethod() {
        long before = Topics.endOffsetSum(bridge.topic("traces"));
        OtlpGrpcClient.Answer answer = client.export("traces", new byte[] {(byte) 0xFF, 0x01, 0x02});

        assertThat(answer.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(answer.message()).contains("not a valid protobuf ExportTraceServiceRequest");
        assertThat(answer.retryDelaySeconds()).isEqualTo(-1);
        assertThat(Topics.endOffsetSum(bridge.topic("traces"))).isEqualTo(before);
        assertThat(Topics.readAll(bridge.topic("dlq"))).anySatisfy(letter -> {
            assertThat(letter.headers()).containsEntry("telemetry.dlq.source", "otlp-grpc")
                    .containsEntry("telemetry.dlq.grpc.method", OtlpGrpcClient.method("traces"))
                    .containsEntry("telemetry.dlq.signal", "traces");
        });
    }

    @Test
    void gzipIsReadAndAnUnknownCodingIsUnimplemented() throws Exception {
        String service = "gz-" + UUID.randomUUID();
        byte[] request = withService(Json.resource("fixtures/otlp/trace.protobuf-bin"), service);
        assertThat(client.call(OtlpGrpcClient.method("traces"), request, Map.of(), "gzip", 10_000).code())
                .isEqualTo(Status.Code.OK);
        assertThat(Topics.readAll(bridge.topic("traces"))).anySatisfy(r -> assertThat(r.value()).contains(service));

        OtlpGrpcClient.Answer br = client.call(OtlpGrpcClient.method("traces"), request, Map.of(), "br", 10_000);
        assertThat(br.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void gzipBombIsRefusedWhileInflatingWithResourceExhaustedAndNoRetryInfo() throws Exception {
        // 64 MiB of zeros inflate from about 64 KiB; the bound here is 1 MiB.
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gzip.write(zeros);
            }
        }
        long before = Topics.endOffsetSum(bridge.topic("logs"));
        try (OtlpGrpcClient raw = new OtlpGrpcClient(bridge.grpcPort(), true)) {
            OtlpGrpcClient.Answer answer = raw.call(OtlpGrpcClient.method("logs"), bomb.toByteArray(), Map.of(),
                    "gzip", 10_000);
            assertThat(answer.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(answer.retryDelaySeconds()).isEqualTo(-1);

            // Not gzip at all, though flagged so: undecodable, and dead-lettered like any undecodable request.
            OtlpGrpcClient.Answer notGzip = raw.call(OtlpGrpcClient.method("logs"), "plainly not gzip".getBytes(),
                    Map.of(), "gzip", 10_000);
            assertThat(notGzip.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        assertThat(Topics.endOffsetSum(bridge.topic("logs"))).isEqualTo(before);
        List<Topics.Rec> letters = Topics.readAll(bridge.topic("dlq")).stream()
                .filter(r -> "logs".equals(r.headers().get("telemetry.dlq.signal"))
                        && "otlp-grpc".equals(r.headers().get("telemetry.dlq.source"))).toList();
        assertThat(letters).anySatisfy(r -> assertThat(r.headers().get("telemetry.dlq.exception.message"))
                .contains("bridge.http.max-decompressed-bytes"));
        assertThat(letters).anySatisfy(r -> assertThat(r.headers().get("telemetry.dlq.exception.message"))
                .contains("cannot read the message"));
        // Over the bound before any inflating: the frame's own length.
        OtlpGrpcClient.Answer big = client.export("logs", new byte[(1 << 20) + 1]);
        assertThat(big.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(big.retryDelaySeconds()).isEqualTo(-1);
        // The bridge still serves.
        assertThat(client.export("logs", new byte[0]).code()).isEqualTo(Status.Code.OK);
    }

    @Test
    void metadataNeverReachesKafkaNorSteersTheProducer() throws Exception {
        String service = "meta-" + UUID.randomUUID();
        byte[] request = withService(Json.resource("fixtures/otlp/trace.protobuf-bin"), service);
        Map<String, String> metadata = Map.of(
                "camelkafkaoverridetopic", bridge.topic("dlq"),
                "camelkafkakey", "stolen-key",
                "camelkafkapartition", "2",
                "telemetry.source", "spoofed",
                "x-secret", "s3cr3t",
                // Over grpc-java's default 8 KiB of metadata: still served.
                "x-big", "b".repeat(20_000));
        assertThat(client.call(OtlpGrpcClient.method("traces"), request, metadata, null, 10_000).code())
                .isEqualTo(Status.Code.OK);

        List<Topics.Rec> records = Topics.readAll(bridge.topic("traces")).stream()
                .filter(r -> r.value().contains(service)).toList();
        assertThat(records).isNotEmpty().allSatisfy(r -> {
            assertThat(r.key()).isNotEqualTo("stolen-key");
            assertThat(r.headers()).containsOnlyKeys("telemetry.signal", "telemetry.source", "content-type",
                    "telemetry.schema-version");
            assertThat(r.headers().get("telemetry.source")).isEqualTo("otlp-grpc");
            assertThat(r.headers().toString()).doesNotContain("s3cr3t");
        });
        assertThat(Topics.readAll(bridge.topic("dlq"))).noneSatisfy(r -> assertThat(r.value()).contains(service));
    }

    @Test
    void healthServiceAnswersServingForTheBridgeAndEachOtlpService() {
        var channel = NettyChannelBuilder.forAddress("127.0.0.1", bridge.grpcPort()).usePlaintext().build();
        try {
            var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
            for (String service : List.of("", "opentelemetry.proto.collector.trace.v1.TraceService",
                    "opentelemetry.proto.collector.metrics.v1.MetricsService",
                    "opentelemetry.proto.collector.logs.v1.LogsService")) {
                assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
                        .as(service).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
            }
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void aStoppedRouteIsUnavailableWithRetryInfoAndServesAgainOnceStarted() throws Exception {
        var routes = bridge.app().context().getRouteController();
        routes.stopRoute("ingest-otlp-grpc-metrics");
        try {
            OtlpGrpcClient.Answer answer = client.export("metrics", Json.resource("fixtures/otlp/metrics.protobuf-bin"));
            assertThat(answer.code()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(answer.retryDelaySeconds()).isEqualTo(5);
        } finally {
            routes.startRoute("ingest-otlp-grpc-metrics");
        }
        assertThat(client.export("metrics", Json.resource("fixtures/otlp/metrics.protobuf-bin")).code())
                .isEqualTo(Status.Code.OK);
    }

    @Test
    void callsAreCountedByStatus() {
        client.export("logs", new byte[] {(byte) 0xFF});
        String metrics = bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/metrics")).build()).body();
        assertThat(metrics).containsPattern(
                "telemetry_bridge_grpc_requests_total\\{[^}]*signal=\"logs\"[^}]*status=\"INVALID_ARGUMENT\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern(
                "telemetry_bridge_request_bytes_count\\{[^}]*source=\"otlp-grpc\"[^}]*} [1-9]");
    }

    /** The fixture with {@code service.name} set to {@code service} on every resource. */
    static byte[] withService(byte[] fixture, String service) throws Exception {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.parseFrom(fixture).toBuilder();
        for (var rs : request.getResourceSpansBuilderList()) {
            var resource = rs.getResourceBuilder();
            resource.clearAttributes();
            resource.addAttributes(KeyValue.newBuilder().setKey("service.name")
                    .setValue(AnyValue.newBuilder().setStringValue(service)));
        }
        return request.build().toByteArray();
    }
}
