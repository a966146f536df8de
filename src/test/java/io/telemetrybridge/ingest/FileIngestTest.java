package io.telemetrybridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.support.Drops;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import io.telemetrybridge.support.Topics.Rec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** File drops against the real routes, real files and a real broker. Each test uses its own signal folder. */
@ExtendWith(KafkaBroker.class)
class FileIngestTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static RunningBridge bridge;

    @BeforeAll
    static void start() {
        bridge = RunningBridge.start(java.util.Map.of("camel.component.kafka.max-request-size", "4096"));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @Test
    void jsonBatchIsPublishedThenMovedToDone() throws IOException {
        drop("traces", "batch.json", Json.resource("golden/seed/traces-batch.json"));

        awaitTrue(() -> filesIn(bridge.inbox().resolve(".done/traces")).stream()
                .anyMatch(p -> p.getFileName().toString().startsWith("batch.")));
        // Other tests share the traces topic; these are the batch's three spans.
        List<String> spanNames = List.of("GET /checkout", "SELECT cart", "consume order");
        List<Rec> records = Topics.readAll(bridge.topic("traces")).stream()
                .filter(r -> spanNames.contains(Json.tree(r.value()).get("name").textValue())).toList();
        assertThat(records).extracting(r -> Json.tree(r.value()).get("name").textValue())
                .containsExactlyInAnyOrderElementsOf(spanNames);
        assertThat(records).allSatisfy(r -> assertThat(r.headers()).containsEntry("telemetry.source", "file")
                .containsEntry("telemetry.signal", "traces"));
        assertThat(filesIn(bridge.inbox().resolve(".done/traces"))).anySatisfy(p -> assertThat(
                p.getFileName().toString()).matches("batch\\.\\d{8}T\\d{6}\\.\\d{3}Z\\.json"));
        assertThat(bridge.inbox().resolve("traces/batch.json")).doesNotExist();
    }

    @Test
    void jsonlWithBomCrlfBlankLinesAndNoFinalNewlineGivesExactlyItsRecords() throws IOException {
        String one = "{\"timestamp\":\"2025-01-01T00:00:01Z\",\"level\":\"Info\",\"message\":\"one\"}";
        String two = "{\"timestamp\":\"2025-01-01T00:00:02Z\",\"level\":\"Warn\",\"message\":\"two\"}";
        String three = "{\"timestamp\":\"2025-01-01T00:00:03Z\",\"level\":\"Error\",\"message\":\"three\"}";
        String text = "\uFEFF" + one + "\r\n\r\n   \r\n" + two + "\n\n" + three;
        drop("logs", "app.jsonl", text.getBytes(StandardCharsets.UTF_8));

        awaitTrue(() -> filesIn(bridge.inbox().resolve(".done/logs")).stream()
                .anyMatch(p -> p.getFileName().toString().startsWith("app.")));
        // Other tests share the logs topic; these three messages are this file's.
        assertThat(Topics.readAll(bridge.topic("logs"))).extracting(r -> Json.tree(r.value()).get("message").textValue())
                .filteredOn(m -> List.of("one", "two", "three").contains(m))
                .containsExactlyInAnyOrder("one", "two", "three");
    }

    @Test
    void badLinesAreSkippedAndCountedWhileGoodLinesArePublished() throws IOException {
        String good = "{\"name\":\"ok%d\",\"metric_type\":\"Gauge\",\"value\":{\"Gauge\":%d},"
                + "\"timestamp\":\"2025-01-01T00:00:00Z\"}";
        String text = String.format(good, 1, 1) + "\n"
                + "{\"name\":\"bad\",\"metric_type\":\"Gauge\",\"value\":{\"Gauge\":\"x\"},\"timestamp\":\"2025-01-01T00:00:00Z\"}\n"
                + "not json at all\n"
                + String.format(good, 2, 2) + "\n";
        double rejectedBefore = rejected("metrics");
        drop("metrics", "mixed.jsonl", text.getBytes(StandardCharsets.UTF_8));

        awaitTrue(() -> filesIn(bridge.inbox().resolve(".done/metrics")).size() == 1);
        List<Rec> records = Topics.readAll(bridge.topic("metrics"));
        assertThat(records).extracting(r -> Json.tree(r.value()).get("name").textValue())
                .containsExactlyInAnyOrder("ok1", "ok2");
        assertThat(rejected("metrics") - rejectedBefore).isEqualTo(2.0);
    }

    @Test
    void linesThatAreNotUtf8OrTooLargeForKafkaAreSkippedAndTheRestPublished() throws IOException {
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        text.writeBytes(("{\"trace_id\":\"a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1\",\"span_id\":\"b1b1b1b1b1b1b1b1\",\"name\":\"keep-me-1\",\"kind\":\"Server\","
                + "\"start_time\":\"2025-01-01T00:00:00Z\",\"status\":{\"code\":\"Ok\"}}\n").getBytes(StandardCharsets.UTF_8));
        text.writeBytes("{\"trace_id\":\"a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2\",\"span_id\":\"b2b2b2b2b2b2b2b2\",\"name\":\"caf".getBytes(StandardCharsets.UTF_8));
        text.write(0xE9); // Latin-1, not UTF-8
        text.writeBytes(("\",\"kind\":\"Server\",\"start_time\":\"2025-01-01T00:00:00Z\",\"status\":{\"code\":\"Ok\"}}\n")
                .getBytes(StandardCharsets.UTF_8));
        text.writeBytes(("{\"trace_id\":\"a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3\",\"span_id\":\"b3b3b3b3b3b3b3b3\",\"name\":\"" + "y".repeat(6000) + "\",\"kind\":\"Server\","
                + "\"start_time\":\"2025-01-01T00:00:00Z\",\"status\":{\"code\":\"Ok\"}}\n").getBytes(StandardCharsets.UTF_8));
        text.writeBytes(("{\"trace_id\":\"a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4a4\",\"span_id\":\"b4b4b4b4b4b4b4b4\",\"name\":\"keep-me-2\",\"kind\":\"Server\","
                + "\"start_time\":\"2025-01-01T00:00:00Z\",\"status\":{\"code\":\"Ok\"}}").getBytes(StandardCharsets.UTF_8));
        double rejectedBefore = rejected("traces");
        drop("traces", "MIXED.JSONL", text.toByteArray());

        awaitTrue(() -> filesIn(bridge.inbox().resolve(".done/traces")).stream()
                .anyMatch(p -> p.getFileName().toString().startsWith("MIXED.")));
        List<String> names = Topics.readAll(bridge.topic("traces")).stream()
                .map(r -> Json.tree(r.value()).get("name").textValue()).toList();
        assertThat(names).contains("keep-me-1", "keep-me-2").noneMatch(n -> n.startsWith("caf") || n.startsWith("yyy"));
        assertThat(rejected("traces") - rejectedBefore).isEqualTo(2.0);
    }

    @Test
    void invalidJsonBatchPublishesNothingAndMovesToErrorWithItsReason() throws IOException {
        long before = Topics.endOffsetSum(bridge.topic("metrics"));
        double rejectedBefore = rejected("metrics");
        String batch = "{\"id\":\"0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60\",\"timestamp\":\"2025-01-01T00:00:00Z\","
                + "\"metrics\":[{\"name\":\"a\",\"metric_type\":\"Gauge\",\"value\":{\"Gauge\":1},"
                + "\"timestamp\":\"2025-01-01T00:00:00Z\"},{\"name\":\"b\",\"metric_type\":\"Summary\","
                + "\"value\":{\"Counter\":1},\"timestamp\":\"2025-01-01T00:00:00Z\"}]}";
        drop("metrics", "broken.json", batch.getBytes(StandardCharsets.UTF_8));

        Path errors = bridge.inbox().resolve(".error/metrics");
        awaitTrue(() -> filesIn(errors).size() == 2);
        Path reason = filesIn(errors).stream().filter(p -> p.toString().endsWith(".reason.txt")).findFirst()
                .orElseThrow();
        assertThat(Files.readString(reason)).contains("metrics[1].value: a Counter value does not match metric_type Summary");
        assertThat(filesIn(errors)).anySatisfy(p -> assertThat(p.getFileName().toString()).startsWith("broken.")
                .endsWith(".json"));
        assertThat(Topics.endOffsetSum(bridge.topic("metrics"))).isEqualTo(before);
        assertThat(rejected("metrics") - rejectedBefore).isEqualTo(1.0);
    }

    @Test
    void fileStillBeingWrittenIsNotReadBeforeItIsComplete() throws Exception {
        Path file = bridge.inbox().resolve("logs/slow.jsonl");
        Files.createDirectories(file.getParent());
        FileTime past = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        int lines = 25;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < lines; i++) {
                out.write(("{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Info\",\"message\":\"slow-" + i
                        + "\"}\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                // A copy tool keeps the source's old modification time: only the size tells it is growing.
                Files.setLastModifiedTime(file, past);
                Thread.sleep(100);
            }
        }
        Files.setLastModifiedTime(file, past);

        awaitTrue(() -> Topics.readAll(bridge.topic("logs")).stream()
                .filter(r -> r.value().contains("slow-")).count() >= lines);
        Topics.sleep(500);
        List<Rec> slow = Topics.readAll(bridge.topic("logs")).stream().filter(r -> r.value().contains("slow-"))
                .toList();
        assertThat(slow).hasSize(lines);
        awaitTrue(() -> filesIn(bridge.inbox().resolve(".done/logs")).stream()
                .anyMatch(p -> p.getFileName().toString().startsWith("slow.")));
    }

    @Test
    void hiddenAndTemporaryFilesAreNeverRead() throws Exception {
        Path dir = bridge.inbox().resolve("traces");
        Files.createDirectories(dir);
        byte[] batch = Json.resource("golden/seed/traces-batch.json");
        for (String name : List.of(".hidden.json", "upload.json.part", "upload.json.tmp", "notes.txt")) {
            Files.write(dir.resolve(name), batch);
        }
        long before = Topics.endOffsetSum(bridge.topic("traces"));

        // Several poll and quiet-period cycles (200 ms and 300 ms in this bridge).
        Topics.sleep(2500);

        assertThat(Topics.endOffsetSum(bridge.topic("traces"))).isEqualTo(before);
        assertThat(Files.exists(dir.resolve(".hidden.json"))).isTrue();
        assertThat(Files.exists(dir.resolve("upload.json.part"))).isTrue();
        assertThat(Files.exists(dir.resolve("upload.json.tmp"))).isTrue();
        assertThat(Files.exists(dir.resolve("notes.txt"))).isTrue();
    }

    /** {@code telemetry_bridge_records_rejected_total{signal, source="file"}} as the bridge serves it now. */
    @Test
    void theBacklogGaugeCountsFilesWaitingInTheInbox() throws IOException {
        // A quiet period of a minute keeps the files waiting while the gauge is read.
        try (RunningBridge slow = RunningBridge.start(java.util.Map.of("bridge.file.quiet-period-ms", "60000"))) {
            for (String name : List.of("a.json", "b.JSONL", "c.jsonl")) {
                Files.createDirectories(slow.inbox().resolve("logs"));
                Files.writeString(slow.inbox().resolve("logs").resolve(name), "{}");
            }
            Files.writeString(slow.inbox().resolve("logs").resolve("notes.txt"), "not telemetry");
            String metrics = slow.send(java.net.http.HttpRequest.newBuilder(slow.managementUri("/observe/metrics"))
                    .build()).body();
            assertThat(metrics).contains("telemetry_bridge_file_backlog_files{signal=\"logs\"} 3.0")
                    .contains("telemetry_bridge_file_backlog_files{signal=\"metrics\"} 0.0");
        }
    }

    private static double rejected(String signal) {
        String metrics = bridge.send(java.net.http.HttpRequest.newBuilder(bridge.managementUri("/observe/metrics"))
                .build()).body();
        String prefix = "telemetry_bridge_records_rejected_total{signal=\"" + signal + "\",source=\"file\"} ";
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).findFirst().orElse(0);
    }

    private static void drop(String signal, String name, byte[] content) throws IOException {
        Drops.drop(bridge.inbox(), signal, name, content);
    }

    private static List<Path> filesIn(Path dir) {
        return Drops.filesIn(dir);
    }

    private static void awaitTrue(BooleanSupplier condition) {
        Drops.awaitTrue(condition, WAIT);
    }
}
