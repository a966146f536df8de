package io.telemetrybridge.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A second, independent OTLP/gRPC client: the OpenTelemetry JS SDK's gRPC exporters (on {@code @grpc/grpc-js})
 * in Node, configured with {@code OTEL_EXPORTER_OTLP_ENDPOINT} and gzip, sending spans and log records
 * ({@code interop/grpc-js/send.mjs}). Needs Node and {@code npm ci --prefix interop/grpc-js}; CI installs it
 * and fails the test when it is missing there, elsewhere the test is skipped with that hint.
 */
@ExtendWith(KafkaBroker.class)
class GrpcJsClientTest {

    private static final Path CLIENT = Path.of("interop/grpc-js");

    @Test
    void theJsSdkExportsSpansAndLogRecordsOverGrpcWithGzip() throws Exception {
        boolean installed = Files.isDirectory(CLIENT.resolve("node_modules/@opentelemetry/exporter-trace-otlp-grpc"));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run: npm ci --prefix interop/grpc-js");
        }
        Assumptions.assumeTrue(installed, "run npm ci --prefix interop/grpc-js to test with the JS SDK");

        String service = "js-" + UUID.randomUUID().toString().substring(0, 8);
        try (RunningBridge bridge = RunningBridge.start()) {
            ProcessBuilder node = new ProcessBuilder("node", "send.mjs", service, "3", "2").directory(CLIENT.toFile())
                    .redirectErrorStream(true);
            node.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + bridge.grpcPort());
            node.environment().put("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
            Process p = node.start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(out).isZero();
            String summary = out.lines().filter(l -> l.startsWith("{\"traceIds\"")).findFirst().orElseThrow();
            List<String> traceIds = new ArrayList<>();
            Json.tree(summary).get("traceIds").forEach(id -> traceIds.add(id.textValue()));
            assertThat(traceIds).hasSize(3);

            List<Topics.Rec> spans = Topics.readAll(bridge.topic("traces")).stream()
                    .filter(r -> traceIds.contains(r.key())).toList();
            assertThat(spans).hasSize(3).allSatisfy(r -> {
                assertThat(r.headers()).containsEntry("telemetry.source", "otlp-grpc");
                JsonNode span = Json.tree(r.value());
                assertThat(span.get("service_name").textValue()).isEqualTo(service);
                assertThat(span.get("name").textValue()).startsWith("js-span-");
                assertThat(span.get("scope").get("name").textValue()).isEqualTo("grpc-js-client");
            });
            List<JsonNode> logs = Topics.readAll(bridge.topic("logs")).stream()
                    .filter(r -> service.equals(r.key())).map(r -> Json.tree(r.value())).toList();
            assertThat(logs).hasSize(2).allSatisfy(l -> {
                assertThat(l.get("message").textValue()).startsWith("js-log-");
                assertThat(l.get("severity_number").asInt()).isEqualTo(13);
                assertThat(l.get("attributes").get("js.index")).isNotNull();
            });
        }
    }
}
