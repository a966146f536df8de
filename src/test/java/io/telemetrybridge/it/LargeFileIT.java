package io.telemetrybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.support.BridgeJar;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.Topics;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A .jsonl file far larger than the heap (over 200 MB, the packaged bridge on {@code -Xmx256m}, its Kafka in
 * another JVM) goes through: read in chunks at flat memory, every line on Kafka exactly once, no
 * OutOfMemoryError, the file in {@code .done/}.
 */
@ExtendWith(KafkaBroker.class)
class LargeFileIT {

    static final int LINES = 850_000;

    @Test
    void aFileLargerThanTheHeapIsPublishedInChunksAtFlatMemory() throws Exception {
        Path workDir = BridgeJar.workDir("jar-large-");
        Path inbox = workDir.resolve("inbox/logs");
        Files.createDirectories(inbox);
        Path aside = workDir.resolve("big.jsonl.tmp");
        String pad = "x".repeat(180);
        try (BufferedWriter out = Files.newBufferedWriter(aside, StandardCharsets.UTF_8)) {
            for (int i = 0; i < LINES; i++) {
                out.write("{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Info\",\"message\":\"line-" + i + "-"
                        + pad + "\"}\n");
            }
        }
        long size = Files.size(aside);
        assertThat(size).isGreaterThan(200L << 20);
        String topic = "large-" + UUID.randomUUID().toString().substring(0, 8) + ".logs";
        int management = KafkaBroker.freePort();
        Process bridge = BridgeJar.start(workDir, List.of("-Xmx256m"),
                "bridge.kafka.bootstrap-servers=" + KafkaBroker.bootstrapServers(), "bridge.topics.logs=" + topic,
                "bridge.heartbeat.enabled=false", "bridge.file.quiet-period-ms=200", "bridge.file.poll-interval-ms=200",
                "camel.management.port=" + management);
        long start;
        try {
            BridgeJar.awaitReady(management);
            start = System.nanoTime();
            Files.move(aside, inbox.resolve("big.jsonl"), StandardCopyOption.ATOMIC_MOVE);
            Path done = workDir.resolve("inbox/.done/logs");
            long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
            while (!(Files.isDirectory(done) && count(done) == 1) && System.nanoTime() < deadline && bridge.isAlive()) {
                Thread.sleep(500);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String log = Files.readString(workDir.resolve("bridge.log"));
            assertThat(log).doesNotContain("OutOfMemoryError");
            assertThat(bridge.isAlive()).as("the bridge is still running").isTrue();
            assertThat(count(done)).as("the file is in .done").isEqualTo(1);
            long records = Topics.endOffsetSum(topic);
            System.out.printf("large file: %d MB, %d lines, in .done after %.1f s (%.0f records/s), %d records on "
                    + "Kafka%n", size >> 20, LINES, seconds, LINES / seconds, records);
            assertThat(records).as("every line once").isEqualTo(LINES);
        } finally {
            bridge.destroy();
            if (!bridge.waitFor(30, TimeUnit.SECONDS)) {
                bridge.destroyForcibly();
            }
        }
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
