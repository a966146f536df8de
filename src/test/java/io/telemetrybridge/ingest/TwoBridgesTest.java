package io.telemetrybridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.support.Drops;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How users scale out: two bridges on one cluster, the same topics and one inbox. Requests go to both while
 * files are dropped; every file is read by exactly one bridge (each record once on Kafka, each file once in
 * .done), and the same query is answered identically by either.
 */
@ExtendWith(KafkaBroker.class)
class TwoBridgesTest {

    static final int FILES = 60;

    @Test
    void twoBridgesShareTopicsAndAnInboxWithoutDoubleReads() throws Exception {
        try (RunningBridge a = RunningBridge.start(Map.of("bridge.file.chunk-records", "50"))) {
            Map<String, String> shared = new HashMap<>(a.topicSettings());
            shared.put("bridge.file.inbox", a.inbox().toString());
            shared.put("bridge.file.chunk-records", "50");
            try (RunningBridge b = RunningBridge.start(shared)) {
                String service = "scale-out";
                AtomicInteger posted = new AtomicInteger();
                CompletableFuture<Void> requests = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 100; i++) {
                        RunningBridge to = i % 2 == 0 ? a : b;
                        int status = to.post("/api/v1/logs", "application/json", batch("req-" + i, service, 3))
                                .statusCode();
                        assertThat(status).isEqualTo(200);
                        posted.addAndGet(3);
                    }
                });
                for (int f = 0; f < FILES; f++) {
                    String name = f % 10 == 0 ? "f" + f + ".jsonl" : "f" + f + ".json";
                    byte[] content = name.endsWith(".jsonl") ? lines("file-" + f, service, 120)
                            : batch("file-" + f, service, 4);
                    Drops.drop(a.inbox(), "logs", name, content);
                }
                requests.get();
                Drops.awaitTrue(() -> Drops.filesIn(a.inbox().resolve(".done/logs")).size() >= FILES,
                        Duration.ofSeconds(60));
                Topics.sleep(1000);
                assertThat(Drops.filesIn(a.inbox().resolve(".done/logs"))).hasSize(FILES);

                Map<String, Long> copies = Topics.readAll(a.topic("logs")).stream()
                        .map(r -> Json.tree(r.value()).get("message").textValue())
                        .collect(Collectors.groupingBy(m -> m, Collectors.counting()));
                long fileRecords = copies.keySet().stream().filter(m -> m.startsWith("file-")).count();
                assertThat(fileRecords).isEqualTo(6 * 120 + 54 * 4);
                assertThat(copies.keySet().stream().filter(m -> m.startsWith("req-")).count()).isEqualTo(posted.get());
                assertThat(copies.values()).as("every record once").containsOnly(1L);

                String query = "/api/v1/query/logs?service=" + service + "&limit=1000";
                JsonNode fromA = Json.tree(a.get(query).body());
                JsonNode fromB = Json.tree(b.get(query).body());
                assertThat(fromA.get("status").textValue()).isEqualTo("Success");
                assertThat(fromA.get("data").size()).isEqualTo(1000);
                assertThat(fromA.get("metadata").get("total_matches")).isEqualTo(fromB.get("metadata").get("total_matches"));
                assertThat(fromA.get("data")).isEqualTo(fromB.get("data"));
            }
        }
    }

    private static byte[] batch(String prefix, String service, int n) {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < n; i++) {
            logs.append(i == 0 ? "" : ",").append(log(prefix + "-" + i, service));
        }
        return ("{\"id\":\"0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60\",\"timestamp\":\"2025-01-01T00:00:00Z\",\"logs\":["
                + logs + "]}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] lines(String prefix, String service, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(log(prefix + "-" + i, service)).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String log(String message, String service) {
        return "{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Info\",\"message\":\"" + message
                + "\",\"attributes\":{\"service.name\":\"" + service + "\"}}";
    }
}
