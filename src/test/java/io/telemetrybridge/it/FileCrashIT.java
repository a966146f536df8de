package io.telemetrybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.support.BridgeJar;
import io.telemetrybridge.support.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The packaged bridge killed with SIGKILL while it works through a folder of file drops, then started again on
 * the same folder: no file is in {@code .done/} whose records are not all on Kafka, and after the restart every
 * file is published (at least once) and moved.
 */
class FileCrashIT {

    static final int FILES = 300;
    static final int LOGS_PER_FILE = 5;

    @Test
    void aFileMarkedDoneHasAllItsRecordsOnKafkaEvenAfterKillMinus9() throws Exception {
        Path workDir = BridgeJar.workDir("jar-crash-");
        int kafkaPort = KafkaBroker.freePort();
        int controllerPort = KafkaBroker.freePort();
        Path inbox = workDir.resolve("inbox/logs");
        Files.createDirectories(inbox);
        String[] settings = {"bridge.kafka.embedded.port=" + kafkaPort,
                "bridge.kafka.embedded.controller-port=" + controllerPort, "bridge.heartbeat.enabled=false",
                "bridge.file.quiet-period-ms=100", "bridge.file.poll-interval-ms=100", "bridge.file.orphan-lock-ms=3000"};
        int management = KafkaBroker.freePort();
        Process bridge = BridgeJar.start(workDir, with(settings, "camel.management.port=" + management));
        Set<String> doneAtKill;
        try {
            BridgeJar.awaitReady(management);
            for (int f = 0; f < FILES; f++) {
                // Written aside, then moved in: a whole file appears at once, as a well-behaved producer does.
                Path tmp = workDir.resolve("f" + f + ".tmp");
                Files.writeString(tmp, batch(f));
                Files.move(tmp, inbox.resolve("f" + f + ".json"), StandardCopyOption.ATOMIC_MOVE);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (done(workDir).size() < FILES / 10 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(done(workDir).size()).as("some files done before the kill").isGreaterThan(0);
        } finally {
            bridge.destroyForcibly();
            assertThat(bridge.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        doneAtKill = done(workDir);
        assertThat(doneAtKill.size()).as("the kill came before the end").isLessThan(FILES);

        int management2 = KafkaBroker.freePort();
        Process again = BridgeJar.start(workDir, with(settings, "camel.management.port=" + management2));
        try {
            BridgeJar.awaitReady(management2);
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (done(workDir).size() < FILES && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            Set<String> onKafka = messages("127.0.0.1:" + kafkaPort);
            for (String file : doneAtKill) {
                for (int j = 0; j < LOGS_PER_FILE; j++) {
                    assertThat(onKafka).as("a record of %s, in .done when the bridge was killed", file)
                            .contains(file + "-" + j);
                }
            }
            assertThat(done(workDir)).hasSize(FILES);
            for (int f = 0; f < FILES; f++) {
                for (int j = 0; j < LOGS_PER_FILE; j++) {
                    assertThat(onKafka).contains("f" + f + "-" + j);
                }
            }
        } finally {
            again.destroy();
            again.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static String[] with(String[] settings, String more) {
        String[] all = java.util.Arrays.copyOf(settings, settings.length + 1);
        all[settings.length] = more;
        return all;
    }

    static String batch(int file) {
        StringBuilder logs = new StringBuilder();
        for (int j = 0; j < LOGS_PER_FILE; j++) {
            logs.append(j == 0 ? "" : ",").append("{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Info\","
                    + "\"message\":\"f").append(file).append('-').append(j).append("\",\"attributes\":{}}");
        }
        return "{\"id\":\"6a1e2d3c-4b5a-4968-8776-655443322110\",\"timestamp\":\"2025-01-01T00:00:00Z\","
                + "\"logs\":[" + logs + "],\"metadata\":{}}";
    }

    /** Original names ({@code f12}) of the files in {@code .done/logs/} (archived as {@code f12.<time>.json}). */
    static Set<String> done(Path workDir) throws Exception {
        Path dir = workDir.resolve("inbox/.done/logs");
        Set<String> names = new HashSet<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .forEach(n -> names.add(n.substring(0, n.indexOf('.'))));
        }
        return names;
    }

    /** Every log message on the logs topic. */
    static Set<String> messages(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Set<String> out = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor("telemetry.logs").stream()
                    .map(i -> new TopicPartition("telemetry.logs", i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            var end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    String v = new String(r.value(), StandardCharsets.UTF_8);
                    int i = v.indexOf("\"message\":\"");
                    out.add(v.substring(i + 11, v.indexOf('"', i + 11)));
                }
            }
        }
        return out;
    }
}
