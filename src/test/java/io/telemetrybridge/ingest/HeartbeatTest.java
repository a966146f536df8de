package io.telemetrybridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBroker.class)
class HeartbeatTest {

    @Test
    void timerPublishesUptimeAndRecordsForwardedPerSignal() {
        try (RunningBridge bridge = RunningBridge.start(Map.of(
                "bridge.heartbeat.enabled", "true", "bridge.heartbeat.period-ms", "300"))) {
            List<Topics.Rec> records = Topics.awaitRecords(bridge.topic("metrics"), 8, Duration.ofSeconds(20));

            assertThat(records).allSatisfy(r -> assertThat(r.headers()).containsEntry("telemetry.source", "timer"));
            List<JsonNode> values = records.stream().map(r -> Json.tree(r.value())).toList();
            assertThat(values).anySatisfy(v -> {
                assertThat(v.get("name").textValue()).isEqualTo("telemetry_bridge_uptime");
                assertThat(v.get("metric_type").textValue()).isEqualTo("Gauge");
                assertThat(v.get("value").get("Gauge").doubleValue()).isPositive();
                assertThat(v.get("unit").textValue()).isEqualTo("s");
            });
            assertThat(values).filteredOn(v -> v.get("name").textValue().equals("telemetry_bridge_records_forwarded"))
                    .extracting(v -> v.get("labels").get("signal").textValue())
                    .contains("metrics", "traces", "logs");
            // The second tick counts the first tick's four records as forwarded.
            assertThat(values).anySatisfy(v -> {
                assertThat(v.get("labels").path("signal").asText()).isEqualTo("metrics");
                assertThat(v.get("value").path("Counter").asDouble()).isGreaterThanOrEqualTo(4);
            });
        }
    }
}
