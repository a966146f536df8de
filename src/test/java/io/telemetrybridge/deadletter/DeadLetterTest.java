package io.telemetrybridge.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import io.telemetrybridge.support.Topics.Rec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every dead-letter path: what lands on the dead-letter topic, with which headers. */
@ExtendWith(KafkaBroker.class)
class DeadLetterTest {

    private static RunningBridge bridge;

    @BeforeAll
    static void start() {
        bridge = RunningBridge.start(Map.of("camel.component.kafka.max-request-size", "4096",
                "bridge.dlq.max-payload-bytes", "1000"));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    /** The dead letter whose payload contains {@code marker}. */
    private static Rec deadLetterWith(String marker) {
        List<Rec> found = Topics.awaitRecords(bridge.topic("dlq"), 1, Duration.ofSeconds(10));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            found = Topics.readAll(bridge.topic("dlq"));
            for (Rec r : found) {
                if (r.value().contains(marker)) {
                    return r;
                }
            }
            Topics.sleep(200);
        }
        throw new AssertionError("no dead letter containing " + marker + " in " + found);
    }

    @Test
    void invalidSeedBatchGoesToTheDeadLetterTopicWithItsReason() {
        String marker = UUID.randomUUID().toString();
        String batch = "{\"id\":\"0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60\",\"timestamp\":\"2025-01-01T00:00:00Z\","
                + "\"metrics\":[{\"name\":\"" + marker + "\",\"metric_type\":\"Gauge\",\"value\":{\"Gaug\":1},"
                + "\"timestamp\":\"2025-01-01T00:00:00Z\"}]}";
        assertThat(bridge.post("/api/v1/metrics", "application/json", batch.getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(400);

        Rec letter = deadLetterWith(marker);
        assertThat(letter.value()).isEqualTo(batch);
        assertThat(letter.headers())
                .containsEntry("telemetry.dlq.kind", "permanent")
                .containsEntry("telemetry.dlq.exception.class", "io.telemetrybridge.error.InvalidInputException")
                .containsEntry("telemetry.dlq.exception.message",
                        "metrics[0].value: expected one of Counter, Gauge, Histogram, Summary, got \"Gaug\"")
                .containsEntry("telemetry.dlq.signal", "metrics")
                .containsEntry("telemetry.dlq.source", "http")
                .containsEntry("telemetry.dlq.route.id", "ingest-http-metrics")
                .containsEntry("telemetry.dlq.http.path", "/api/v1/metrics")
                .containsEntry("telemetry.dlq.http.content.type", "application/json")
                .containsEntry("telemetry.dlq.attempts", "1")
                .containsEntry("telemetry.dlq.payload.size", String.valueOf(batch.length()))
                .containsEntry("telemetry.dlq.payload.truncated", "false")
                .containsKey("telemetry.dlq.failed.at");
    }

    @Test
    void undecodableOtlpRequestGoesToTheDeadLetterTopic() {
        String marker = UUID.randomUUID().toString().replace("-", "");
        String request = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + marker + "==\"}]}]}]}";
        assertThat(bridge.post("/v1/traces", "application/json", request.getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(400);
        Rec letter = deadLetterWith(marker);
        assertThat(letter.headers()).containsEntry("telemetry.dlq.source", "otlp-http")
                .containsEntry("telemetry.dlq.signal", "traces")
                .containsEntry("telemetry.dlq.route.id", "ingest-otlp-traces");
        assertThat(letter.headers().get("telemetry.dlq.exception.message")).contains("traceId");
    }

    @Test
    void oversizedItemIsDeadLetteredWithItsSizeAndTheLimitNotItsBytes() {
        String marker = UUID.randomUUID().toString();
        String batch = "{\"id\":\"0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60\",\"timestamp\":\"2025-01-01T00:00:00Z\","
                + "\"logs\":[{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Info\",\"message\":\"m\"},"
                + "{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Info\",\"message\":\"" + marker
                + "x".repeat(6000) + "\"}]}";
        assertThat(bridge.post("/api/v1/logs", "application/json", batch.getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(413);

        Rec letter = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (letter == null && System.nanoTime() < deadline) {
            letter = Topics.readAll(bridge.topic("dlq")).stream()
                    .filter(r -> "logs[1]".equals(r.headers().get("telemetry.dlq.field"))
                            && String.valueOf(batch.length()).equals(r.headers().get("telemetry.dlq.payload.size")))
                    .findFirst().orElse(null);
            Topics.sleep(200);
        }
        assertThat(letter).as("the dead letter of the refused request").isNotNull();
        assertThat(letter.raw()).isEmpty();
        assertThat(Integer.parseInt(letter.headers().get("telemetry.dlq.record.size"))).isGreaterThan(6000);
        assertThat(letter.headers()).containsEntry("telemetry.dlq.record.limit", "4096")
                .containsEntry("telemetry.dlq.http.path", "/api/v1/logs")
                .containsEntry("telemetry.dlq.exception.class", "io.telemetrybridge.error.OversizedRecordException");
    }

    @Test
    void oversizedOtlpSpanIsLeftOutAsPartialSuccessAndDeadLetteredWithoutItsBytes() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String request = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
                + "{\"traceId\":\"" + traceId + "\",\"spanId\":\"0102030405060708\",\"name\":\"small\"},"
                + "{\"traceId\":\"" + traceId + "\",\"spanId\":\"0102030405060709\",\"name\":\"" + "b".repeat(6000)
                + "\"}]}]}]}";
        var response = bridge.post("/v1/traces", "application/json", request.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        var partial = Json.tree(response.body()).get("partialSuccess");
        assertThat(partial.get("rejectedSpans").asText()).isEqualTo("1");
        assertThat(partial.get("errorMessage").textValue()).contains("over the limit of 4096 bytes");
        assertThat(Topics.readAll(bridge.topic("traces")).stream().filter(r -> traceId.equals(r.key())))
                .extracting(r -> Json.tree(r.value()).get("name").textValue()).containsExactly("small");
        Rec letter = Topics.readAll(bridge.topic("dlq")).stream()
                .filter(r -> traceId.equals(r.headers().get("telemetry.dlq.record.key"))).findFirst().orElseThrow();
        assertThat(letter.raw()).isEmpty();
        assertThat(Integer.parseInt(letter.headers().get("telemetry.dlq.record.size"))).isGreaterThan(6000);
        assertThat(letter.headers()).containsEntry("telemetry.dlq.source", "otlp-http");
    }

    @Test
    void eachBadLineOfAJsonlDropIsItsOwnDeadLetter() throws Exception {
        String marker = UUID.randomUUID().toString();
        String good = "{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Info\",\"message\":\"fine\"}";
        String bad = "{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Loud\",\"message\":\"" + marker + "\"}";
        Path dir = bridge.inbox().resolve("logs");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("lines.jsonl.part"), good + "\n" + good + "\n" + bad + "\n");
        Files.move(dir.resolve("lines.jsonl.part"), dir.resolve("lines.jsonl"));

        Rec letter = deadLetterWith(marker);
        assertThat(letter.value()).isEqualTo(bad);
        assertThat(letter.headers()).containsEntry("telemetry.dlq.source", "file")
                .containsEntry("telemetry.dlq.file.name", "lines.jsonl")
                .containsEntry("telemetry.dlq.file.line", "3")
                .containsEntry("telemetry.dlq.signal", "logs");
        assertThat(letter.headers().get("telemetry.dlq.exception.message")).startsWith("level: expected one of");
    }

    @Test
    void whenTheDeadLetterTopicCannotBeWrittenTheLetterGoesToTheLocalFolder() throws Exception {
        Path folder = Files.createTempDirectory("dead-letters-");
        try (RunningBridge noDlq = RunningBridge.start(Map.of("bridge.dlq.folder", folder.toString()))) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    KafkaBroker.bootstrapServers()))) {
                admin.deleteTopics(List.of(noDlq.topic("dlq"))).all().get();
                // The controller has deleted it; wait until the broker that would take the write has too (under
                // load it may still hold the partition for a moment and accept the letter).
                long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
                while (admin.listTopics().names().get().contains(noDlq.topic("dlq"))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(admin.listTopics().names().get()).doesNotContain(noDlq.topic("dlq"));
            }
            assertThat(noDlq.post("/api/v1/traces", "application/json", "{\"id\":1}".getBytes(StandardCharsets.UTF_8))
                    .statusCode()).isEqualTo(400);

            List<Path> files;
            try (Stream<Path> s = Files.list(folder)) {
                files = s.toList();
            }
            assertThat(files).hasSize(2);
            Path payload = files.stream().filter(p -> p.toString().endsWith(".payload")).findFirst().orElseThrow();
            Path meta = files.stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
            assertThat(Files.readString(payload)).isEqualTo("{\"id\":1}");
            assertThat(Json.tree(Files.readString(meta)).get("telemetry.dlq.exception.message").textValue())
                    .startsWith("id: expected a UUID");
            String metrics = noDlq.send(java.net.http.HttpRequest.newBuilder(noDlq.managementUri("/observe/metrics"))
                    .build()).body();
            assertThat(metrics).contains("telemetry_bridge_records_dead_lettered_total{signal=\"traces\",source=\"http\","
                    + "target=\"folder\"} 1.0");
        }
    }
}
