package io.telemetrybridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import com.google.protobuf.ByteString;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.OtlpGrpcClient;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The in-flight bytes bound ({@code bridge.http.max-in-flight-bytes}) over HTTP and gRPC together, against a
 * bridge whose Kafka is unreachable, so that the first request waits (and holds its bytes) for seconds.
 */
@ExtendWith(KafkaBroker.class)
class InFlightBytesTest {

    private static final String PROTOBUF = "application/x-protobuf";

    private static RunningBridge bridge(long budget) {
        return RunningBridge.start(Map.of(
                "bridge.kafka.bootstrap-servers", "127.0.0.1:" + KafkaBroker.freePort(),
                "bridge.kafka.admin-timeout-ms", "1000",
                "bridge.http.max-decompressed-bytes", String.valueOf(budget),
                "bridge.http.max-in-flight-bytes", String.valueOf(budget)));
    }

    @Test
    void aBodyThatDoesNotFitBesideTheOnesInHandIsRefusedRetryablyOverHttpAndGrpc() throws Exception {
        try (RunningBridge bridge = bridge(100_000);
                OtlpGrpcClient grpc = new OtlpGrpcClient(bridge.grpcPort())) {
            byte[] large = traces(60_000);
            byte[] medium = traces(50_000);
            byte[] small = traces(2_000);
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() ->
                    bridge.post("/v1/traces", PROTOBUF, large));
            Topics.sleep(1000);

            // 60,000 bytes are held: 50,000 more do not fit in 100,000, over either door.
            HttpResponse<String> refused = bridge.post("/v1/traces", PROTOBUF, medium);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            OtlpGrpcClient.Answer grpcRefused = grpc.export("traces", medium);
            assertThat(grpcRefused.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(grpcRefused.retryDelaySeconds()).isEqualTo(5);
            assertThat(grpcRefused.message()).contains("bridge.http.max-in-flight-bytes");
            assertThat(bytesInFlight(bridge)).isGreaterThanOrEqualTo(large.length);

            // A small one fits: it is refused by Kafka's absence (503), not by the bound.
            assertThat(bridge.post("/v1/traces", PROTOBUF, small).statusCode()).isEqualTo(503);
            assertThat(first.get().statusCode()).isEqualTo(503);

            // Once answered, the bytes are given back.
            assertThat(bytesInFlight(bridge)).isZero();
            assertThat(grpc.export("traces", medium).code()).isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void aCompressedBodyIsHeldAsWhatItInflatesToAndRefusedWhenThatDoesNotFit() throws Exception {
        try (RunningBridge bridge = bridge(2_000_000)) {
            byte[] raw = traces(1_200_000);
            byte[] inflating = gzip(raw);
            assertThat(inflating.length).isLessThan(100_000);
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() ->
                    postGzip(bridge, inflating));
            Topics.sleep(1000);

            // Under 100,000 bytes came; 1.2 MB (in steps of 256 KiB) are held once decoded.
            assertThat(bytesInFlight(bridge)).isBetween((long) raw.length, 2_000_000L);
            // A second one is let in by its size as sent, and stopped as it inflates past the budget.
            HttpResponse<String> refused = postGzip(bridge, inflating);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(refused.body()).contains("inflates").contains("bridge.http.max-in-flight-bytes");
            assertThat(first.get().statusCode()).isEqualTo(503);
            assertThat(bytesInFlight(bridge)).isZero();
        }
    }

    @Test
    void aChunkedBodyCountsAsTheLargestBodyAllowed() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(Map.of(
                "bridge.kafka.bootstrap-servers", "127.0.0.1:" + KafkaBroker.freePort(),
                "bridge.kafka.admin-timeout-ms", "1000", "camel.server.maxBodySize", "100000",
                "bridge.http.max-decompressed-bytes", "100000", "bridge.http.max-in-flight-bytes", "100000"))) {
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() ->
                    bridge.post("/v1/traces", PROTOBUF, traces(2_000)));
            Topics.sleep(1000);

            // No Content-Length: it counts as camel.server.maxBodySize, which does not fit beside 2,000 bytes.
            byte[] small = traces(2_000);
            HttpResponse<String> chunked = bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/traces"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", PROTOBUF)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(small))).build());
            assertThat(chunked.statusCode()).isEqualTo(429);
            assertThat(chunked.body()).contains("this one is 100000");
            // A request without a body (HTTP/1.1, neither Content-Length nor Transfer-Encoding) counts as none.
            assertThat(bridge.get("/v1/traces").statusCode()).isEqualTo(405);
            assertThat(first.get().statusCode()).isEqualTo(503);
        }
    }

    private static HttpResponse<String> postGzip(RunningBridge bridge, byte[] body) {
        return bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/traces")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", PROTOBUF).header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** The gauge of the management server's Prometheus page, in bytes. */
    private static long bytesInFlight(RunningBridge bridge) throws Exception {
        HttpResponse<String> metrics = bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build());
        return metrics.body().lines().filter(l -> l.startsWith("telemetry_bridge_request_bytes_in_flight"))
                .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
    }

    /** An ExportTraceServiceRequest of {@code size} bytes or a little less (protobuf), in spans of about 500. */
    static byte[] traces(int size) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        // Spans, each with its tag and length (3 bytes), and the two enclosing messages' (under 10).
        long total = 10;
        for (int i = 0; ; i++) {
            Span span = Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                            (byte) (i % 200 + 1)}))
                    .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) (i % 200 + 1)}))
                    .setName("span-" + i).setStartTimeUnixNano(1_700_000_000_000_000_000L)
                    .setEndTimeUnixNano(1_700_000_000_100_000_000L)
                    .addAttributes(KeyValue.newBuilder().setKey("payload")
                            .setValue(AnyValue.newBuilder().setStringValue("x".repeat(420)))).build();
            total += span.getSerializedSize() + 3;
            if (total > size) {
                break;
            }
            scope.addSpans(span);
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope)).build().toByteArray();
    }

    private static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }
}
