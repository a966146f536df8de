package io.telemetrybridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-topic settings: missing topics are created with them; an existing topic that differs is reported in the
 * readiness details and left alone, except that partitions are added when the user opts in, never removed.
 */
@ExtendWith(KafkaBroker.class)
class TopicSettingsTest {

    @Test
    void topicsAreCreatedWithTheirSettingsAndDifferencesAreReportedNotForced() {
        Map<String, String> topics;
        Map<String, String> first = new HashMap<>(Map.of(
                "bridge.topics.logs.partitions", "2",
                "bridge.topics.config.retention.ms", "3600000",
                "bridge.topics.logs.config.max.message.bytes", "2097152",
                "bridge.topics.dlq.config.retention.ms", "604800000"));
        try (RunningBridge bridge = RunningBridge.start(first)) {
            topics = bridge.topicSettings();
            JsonNode logs = topic(bridge, "logs");
            assertThat(logs.get("partitions").asInt()).isEqualTo(2);
            assertThat(logs.get("configs").get("retention.ms").asText()).isEqualTo("3600000");
            assertThat(logs.get("configs").get("max.message.bytes").asText()).isEqualTo("2097152");
            JsonNode metrics = topic(bridge, "metrics");
            assertThat(metrics.get("partitions").asInt()).isEqualTo(3);
            assertThat(metrics.get("configs").get("retention.ms").asText()).isEqualTo("3600000");
            assertThat(metrics.get("configs").get("max.message.bytes").asText()).isNotEqualTo("2097152");
            assertThat(topic(bridge, "dlq").get("configs").get("retention.ms").asText()).isEqualTo("604800000");
            assertThat(readiness(bridge)).contains("Kafka cluster").doesNotContain("differ from their settings");
        }

        // Other settings for the same topics: reported, not applied.
        Map<String, String> second = new HashMap<>(topics);
        second.putAll(Map.of("bridge.topics.logs.partitions", "4", "bridge.topics.config.retention.ms", "7200000"));
        try (RunningBridge bridge = RunningBridge.start(second)) {
            assertThat(topic(bridge, "logs").get("partitions").asInt()).isEqualTo(2);
            assertThat(topic(bridge, "logs").get("configs").get("retention.ms").asText()).isEqualTo("3600000");
            String ready = readiness(bridge);
            assertThat(ready).contains("topics differ from their settings").contains("has 2 partitions, configured 4")
                    .contains("retention.ms is 3600000, configured 7200000");
            assertThat(ready).contains("{\"name\":\"kafka\",\"status\":\"UP\"");
        }

        // Opted in: partitions are added; a smaller count never removes any.
        second.put("bridge.topics.increase-partitions", "true");
        try (RunningBridge bridge = RunningBridge.start(second)) {
            assertThat(topic(bridge, "logs").get("partitions").asInt()).isEqualTo(4);
        }
        second.put("bridge.topics.logs.partitions", "1");
        try (RunningBridge bridge = RunningBridge.start(second)) {
            assertThat(topic(bridge, "logs").get("partitions").asInt()).isEqualTo(4);
            assertThat(readiness(bridge)).contains("has 4 partitions, configured 1 (the bridge never removes partitions)");
        }
    }

    @Test
    void aRecordOverTheTopicsMaxMessageBytesIsRefusedBeforeAnythingIsSent() {
        // The producer would take 1 MiB; this topic takes 3000 bytes per batch.
        try (RunningBridge bridge = RunningBridge.start(Map.of("bridge.topics.logs.config.max.message.bytes", "3000"))) {
            String batch = "{\"id\": \"6a1e2d3c-4b5a-4968-8776-655443322110\", \"timestamp\": \"2025-01-01T00:00:00Z\","
                    + " \"logs\": [{\"timestamp\": \"2025-01-01T00:00:00Z\", \"level\": \"Info\", "
                    + "\"message\": \"small\", \"attributes\": {}}, {\"timestamp\": \"2025-01-01T00:00:00Z\", "
                    + "\"level\": \"Info\", \"message\": \"" + "x".repeat(4000) + "\", \"attributes\": {}}]}";

            var response = bridge.post("/api/v1/logs", "application/json",
                    batch.getBytes(java.nio.charset.StandardCharsets.UTF_8));

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.body()).contains("logs[1]").contains("3000");
            assertThat(io.telemetrybridge.support.Topics.endOffsetSum(bridge.topic("logs"))).isZero();
        }
    }

    static JsonNode topic(RunningBridge bridge, String signal) {
        for (JsonNode t : Json.tree(bridge.get("/api/v1/topics").body()).get("topics")) {
            if (t.get("name").asText().equals(bridge.topic(signal))) {
                return t;
            }
        }
        throw new AssertionError("no topic " + bridge.topic(signal));
    }

    /** The readiness answer once the kafka check has run (it runs in the background, every 5 s). */
    static String readiness(RunningBridge bridge) {
        long deadline = System.currentTimeMillis() + 15_000;
        String body;
        do {
            body = bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health/ready")).GET().build())
                    .body();
            if (body.contains("Kafka cluster")) {
                return body;
            }
            io.telemetrybridge.support.Topics.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        return body;
    }
}
