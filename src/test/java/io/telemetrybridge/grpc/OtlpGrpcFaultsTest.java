package io.telemetrybridge.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.OtlpGrpcClient;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OTLP/gRPC status paths that need a bridge of their own: Kafka unreachable, the in-flight bound shared with
 * HTTP, ingestion tokens, and items too large for Kafka (partial success and dead letters, as
 * over HTTP).
 */
@ExtendWith(KafkaBroker.class)
class OtlpGrpcFaultsTest {

    @Test
    void kafkaUnreachableIsUnavailableWithRetryInfoWithinTheBoundAndTheSlotIsShared() throws Exception {
        // Nothing listens on the Kafka port; one request at a time.
        try (RunningBridge bridge = RunningBridge.start(Map.of(
                "bridge.kafka.bootstrap-servers", "127.0.0.1:" + KafkaBroker.freePort(),
                "bridge.kafka.admin-timeout-ms", "1000", "bridge.http.max-in-flight-requests", "1"));
                OtlpGrpcClient client = new OtlpGrpcClient(bridge.grpcPort())) {
            byte[] logs = Json.resource("fixtures/otlp/trace.protobuf-bin");
            long start = System.nanoTime();
            CompletableFuture<OtlpGrpcClient.Answer> first = CompletableFuture.supplyAsync(() ->
                    client.export("traces", logs));
            Topics.sleep(1000);

            // The first call holds the only slot while it waits for Kafka: gRPC and HTTP are refused at once.
            long refusedAt = System.nanoTime();
            OtlpGrpcClient.Answer second = client.export("traces", logs);
            assertThat(Duration.ofNanos(System.nanoTime() - refusedAt)).isLessThan(Duration.ofSeconds(1));
            assertThat(second.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(second.retryDelaySeconds()).isEqualTo(5);
            assertThat(second.message()).contains("bridge.http.max-in-flight-requests");
            assertThat(bridge.post("/v1/traces", "application/x-protobuf", logs).statusCode()).isEqualTo(429);

            OtlpGrpcClient.Answer answer = first.get();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(answer.code()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(answer.retryDelaySeconds()).isEqualTo(5);
            assertThat(answer.message()).contains("Kafka is not accepting records now");

            // Once the call is answered its slot is free again.
            assertThat(client.export("traces", logs).code()).isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void tokensAreCheckedBeforeTheMessageIsDecoded() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(Map.of("bridge.http.auth.ingest.token", "t0k3n-a,t0k3n-b"));
                OtlpGrpcClient client = new OtlpGrpcClient(bridge.grpcPort())) {
            String method = OtlpGrpcClient.method("traces");
            byte[] garbage = {(byte) 0xFF, 0x01};

            OtlpGrpcClient.Answer none = client.call(method, garbage, Map.of(), null, 10_000);
            assertThat(none.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(none.message()).contains("authorization: Bearer");
            OtlpGrpcClient.Answer wrong = client.call(method, garbage, Map.of("authorization", "Bearer nope"),
                    null, 10_000);
            assertThat(wrong.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(wrong.message()).doesNotContain("t0k3n");
            // Not decoded, so not dead-lettered.
            assertThat(Topics.endOffsetSum(bridge.topic("dlq"))).isZero();

            String service = "auth-" + UUID.randomUUID();
            byte[] request = OtlpGrpcTest.withService(Json.resource("fixtures/otlp/trace.protobuf-bin"), service);
            assertThat(client.call(method, request, Map.of("authorization", "Bearer t0k3n-b"), null, 10_000).code())
                    .isEqualTo(Status.Code.OK);
            assertThat(Topics.readAll(bridge.topic("traces"))).anySatisfy(r -> assertThat(r.value()).contains(service));
        }
    }

    @Test
    void itemsTooLargeForKafkaArePartialSuccessAndAllTooLargeIsInvalidArgument() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(Map.of("camel.component.kafka.max-request-size", "4096",
                "bridge.otlp.traces.encoding", "otlp_proto"));
                OtlpGrpcClient client = new OtlpGrpcClient(bridge.grpcPort())) {
            byte[] traceId = bytes(UUID.randomUUID());
            ScopeSpans.Builder scope = ScopeSpans.newBuilder();
            for (int i = 0; i < 5; i++) {
                scope.addSpans(span(traceId, i, "span-" + i));
            }
            scope.addSpans(span(traceId, 99, "huge-" + "y".repeat(6000)));
            ExportTraceServiceRequest request = request(scope);

            OtlpGrpcClient.Answer answer = client.export("traces", request.toByteArray());
            assertThat(answer.code()).isEqualTo(Status.Code.OK);
            ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(answer.response());
            assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
            assertThat(response.getPartialSuccess().getErrorMessage()).contains("over the limit of 4096 bytes");
            List<Topics.Rec> records = Topics.readAll(bridge.topic("traces"));
            assertThat(records).isNotEmpty().allSatisfy(r ->
                    assertThat(r.headers()).containsEntry("telemetry.source", "otlp-grpc"));
            long spans = records.stream().mapToLong(r -> parse(r.raw()).getResourceSpans(0).getScopeSpans(0)
                    .getSpansCount()).sum();
            assertThat(spans).isEqualTo(5);
            assertThat(Topics.readAll(bridge.topic("dlq"))).singleElement().satisfies(letter -> {
                assertThat(letter.headers()).containsEntry("telemetry.dlq.source", "otlp-grpc")
                        .containsEntry("telemetry.dlq.grpc.method", OtlpGrpcClient.method("traces"))
                        .containsEntry("telemetry.dlq.record.items", "1");
            });

            ScopeSpans.Builder onlyHuge = ScopeSpans.newBuilder().addSpans(span(bytes(UUID.randomUUID()), 1,
                    "huge-" + "z".repeat(6000)));
            OtlpGrpcClient.Answer refused = client.export("traces", request(onlyHuge).toByteArray());
            assertThat(refused.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(refused.message()).contains("4096");
            assertThat(refused.retryDelaySeconds()).isEqualTo(-1);
            assertThat(Topics.readAll(bridge.topic("traces"))).hasSameSizeAs(records);
            assertThat(Topics.endOffsetSum(bridge.topic("dlq"))).isEqualTo(2);
        }
    }

    private static ExportTraceServiceRequest request(ScopeSpans.Builder scope) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("grpc-split"))))
                .addScopeSpans(scope)).build();
    }

    private static ExportTraceServiceRequest parse(byte[] raw) {
        try {
            return ExportTraceServiceRequest.parseFrom(raw);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static Span span(byte[] traceId, int id, String name) {
        return Span.newBuilder().setTraceId(ByteString.copyFrom(traceId))
                .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id + 1).array())).setName(name)
                .setStartTimeUnixNano(1_700_000_000_000_000_000L).setEndTimeUnixNano(1_700_000_000_100_000_000L)
                .build();
    }

    private static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }
}
