package io.telemetrybridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.support.Drops;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Chunked reading of file drops against the real routes and a real broker (chunks of 100 records here): every
 * line is published exactly once across chunks, bad lines are dead-lettered once, a file whose progress says it
 * was half published resumes after that point, and a .json batch over its size bound goes to .error unread.
 */
@ExtendWith(KafkaBroker.class)
class FileChunksTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static RunningBridge bridge;

    @BeforeAll
    static void start() {
        bridge = RunningBridge.start(Map.of("bridge.file.chunk-records", "100", "bridge.file.max-batch-bytes", "2000"));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @Test
    void aJsonlFileIsPublishedInChunksEveryLineOnceAndBadLinesDeadLetteredOnce() throws IOException {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 1050; i++) {
            file.append(log("chunked", i)).append('\n');
            if (i % 400 == 7) {
                file.append("{not json\n");
            }
        }
        drop("logs", "big.jsonl", file.toString().getBytes(StandardCharsets.UTF_8));
        awaitTrue(() -> done("logs").stream().anyMatch(p -> p.getFileName().toString().startsWith("big.")));

        Map<String, Long> copies = Topics.readAll(bridge.topic("logs")).stream()
                .map(r -> Json.tree(r.value()).get("message").textValue()).filter(m -> m.startsWith("chunked-"))
                .collect(Collectors.groupingBy(m -> m, Collectors.counting()));
        assertThat(copies).hasSize(1050);
        assertThat(copies.values()).containsOnly(1L);
        List<Topics.Rec> letters = Topics.readAll(bridge.topic("dlq")).stream()
                .filter(r -> "big.jsonl".equals(r.headers().get("telemetry.dlq.file.name"))).toList();
        assertThat(letters).hasSize(3);
        assertThat(letters).extracting(r -> r.headers().get("telemetry.dlq.file.line"))
                .containsExactlyInAnyOrder("9", "410", "811");
    }

    @Test
    void aFileWhoseProgressSaysHalfWasPublishedResumesAfterIt() throws Exception {
        Path dir = bridge.inbox().resolve("metrics");
        Files.createDirectories(dir);
        StringBuilder file = new StringBuilder();
        long offsetAfter300 = 0;
        for (int i = 0; i < 600; i++) {
            String line = metric("resumed", i) + "\n";
            file.append(line);
            if (i == 299) {
                offsetAfter300 = file.toString().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        // As a bridge killed after the chunk ending at line 300 was acknowledged leaves it.
        Path aside = bridge.inbox().resolve("half.jsonl");
        Files.writeString(aside, file);
        Files.setLastModifiedTime(aside, FileTime.fromMillis(1_700_000_000_000L));
        new FileProgress(Files.size(aside), 1_700_000_000_000L, offsetAfter300, 300)
                .save(dir.resolve("half.jsonl"));
        Files.move(aside, dir.resolve("half.jsonl"), StandardCopyOption.ATOMIC_MOVE);

        awaitTrue(() -> done("metrics").stream().anyMatch(p -> p.getFileName().toString().startsWith("half.")));
        List<Integer> published = Topics.readAll(bridge.topic("metrics")).stream()
                .map(r -> Json.tree(r.value())).filter(m -> m.get("name").textValue().equals("resumed"))
                .map(m -> Integer.parseInt(m.get("labels").get("n").textValue())).sorted().toList();
        assertThat(published).hasSize(300);
        assertThat(published.get(0)).isEqualTo(300);
        assertThat(published.get(299)).isEqualTo(599);
    }

    @Test
    void aJsonBatchOverItsSizeBoundGoesToErrorUnread() throws IOException {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            logs.append(i == 0 ? "" : ",").append(log("too-big", i));
        }
        drop("traces", "huge.json", ("{\"id\":\"0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60\","
                + "\"timestamp\":\"2025-01-01T00:00:00Z\",\"logs\":[" + logs + "]}").getBytes(StandardCharsets.UTF_8));
        Path errors = bridge.inbox().resolve(".error/traces");
        awaitTrue(() -> Files.isDirectory(errors) && list(errors).stream()
                .anyMatch(p -> p.getFileName().toString().endsWith(".reason.txt")));
        Path reason = list(errors).stream().filter(p -> p.getFileName().toString().endsWith(".reason.txt"))
                .findFirst().orElseThrow();
        assertThat(Files.readString(reason)).contains("bridge.file.max-batch-bytes").contains(".jsonl");
    }

    private static String log(String prefix, int i) {
        return "{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Info\",\"message\":\"" + prefix + "-" + i + "\"}";
    }

    private static String metric(String name, int i) {
        return "{\"name\":\"" + name + "\",\"metric_type\":\"Gauge\",\"value\":{\"Gauge\":" + i + "},\"timestamp\":\"2025-01-01T00:00:00Z\","
                + "\"labels\":{\"n\":\"" + i + "\"}}";
    }

    private static void drop(String signal, String name, byte[] content) throws IOException {
        Drops.drop(bridge.inbox(), signal, name, content);
    }

    private static List<Path> done(String signal) {
        return list(bridge.inbox().resolve(".done/" + signal));
    }

    private static List<Path> list(Path dir) {
        return Drops.filesIn(dir);
    }

    private static void awaitTrue(BooleanSupplier condition) {
        Drops.awaitTrue(condition, WAIT);
    }
}
