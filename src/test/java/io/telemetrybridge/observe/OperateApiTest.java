package io.telemetrybridge.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /api/v1/stats}, {@code /api/v1/cluster} and {@code /api/v1/topics} on a bridge with real traffic. */
@ExtendWith(KafkaBroker.class)
class OperateApiTest {

    static RunningBridge bridge;

    @BeforeAll
    static void start() {
        bridge = RunningBridge.start();
        byte[] batch = Json.resource("golden/seed/metrics-batch.json");
        for (int i = 0; i < 3; i++) {
            assertThat(bridge.post("/api/v1/metrics", "application/json", batch).statusCode()).isEqualTo(200);
        }
        assertThat(bridge.post("/api/v1/metrics", "application/json", "{\"metrics\": 5}"
                .getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
        assertThat(bridge.post("/api/v1/query/metrics", "application/json", "{}".getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @Test
    void statsCountWritesReadsAndErrorsFromTheSameMetersAsPrometheus() {
        int perBatch = Json.resourceTree("golden/seed/metrics-records.json").size();
        JsonNode stats = get("/api/v1/stats");

        assertThat(stats.get("total_writes").asLong()).isEqualTo(3);
        assertThat(stats.get("total_reads").asLong()).isEqualTo(1);
        assertThat(stats.get("records_accepted").asLong()).isEqualTo(3L * perBatch);
        assertThat(stats.get("records_rejected").asLong()).isEqualTo(1);
        assertThat(stats.get("error_count").asLong()).isEqualTo(1);
        assertThat(stats.get("average_write_time_ms").asDouble()).isPositive();
        // The producer also wrote the dead letter of the refused request.
        assertThat(stats.get("messages_produced").asLong()).isEqualTo(3L * perBatch + 1);
        assertThat(stats.get("bytes_produced").asLong()).isPositive();
        assertThat(stats.get("produce_errors").asLong()).isZero();
        assertThat(stats.get("messages_consumed").asLong()).isGreaterThanOrEqualTo(3L * perBatch);
        assertThat(stats.get("bytes_consumed").asLong()).isPositive();
        // One Kafka read of a query, not the pooled consumers' idle time.
        assertThat(stats.get("average_consume_time_ms").asDouble()).isPositive().isLessThan(5_000);
        assertThat(stats.get("consume_errors").asLong()).isZero();

        String prometheus = bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/metrics")).GET()
                .build()).body();
        assertThat(prometheusSum(prometheus, "telemetry_bridge_records_accepted_total"))
                .isEqualTo(stats.get("records_accepted").asDouble());
        assertThat(prometheusSum(prometheus, "kafka_producer_record_send_total"))
                .isEqualTo(stats.get("messages_produced").asDouble());
        assertThat(prometheusSum(prometheus, "telemetry_bridge_query_duration_seconds_count")).isEqualTo(1.0);
        assertThat(prometheusSum(prometheus, "telemetry_bridge_query_records_scanned_total"))
                .isEqualTo(stats.get("messages_consumed").asDouble());
        // No ingestion request is in hand while the test reads the meters.
        assertThat(prometheus).contains("\ntelemetry_bridge_requests_in_flight 0.0");
        assertThat(prometheus).as("Camel's exchange event notifier is off").doesNotContain("camel_exchanges_last_timestamp");
        // Every meter of ours says what it counts.
        java.util.List<String> types = prometheus.lines().filter(l -> l.startsWith("# TYPE telemetry_bridge_"))
                .map(l -> l.split(" ")[2]).toList();
        assertThat(types).hasSizeGreaterThan(4);
        for (String name : types) {
            assertThat(prometheus.lines().filter(l -> l.startsWith("# HELP " + name + " ")).findFirst())
                    .as("# HELP of %s", name).hasValueSatisfying(help -> assertThat(help.substring(
                            ("# HELP " + name + " ").length()).trim()).hasSizeGreaterThan(10));
        }
    }

    @Test
    void clusterNamesTheBrokerAndController() {
        JsonNode cluster = get("/api/v1/cluster");

        assertThat(cluster.get("cluster_id").asText()).isNotBlank();
        assertThat(cluster.get("brokers")).hasSize(1);
        String port = KafkaBroker.bootstrapServers().substring(KafkaBroker.bootstrapServers().lastIndexOf(':') + 1);
        assertThat(cluster.get("brokers").get(0).get("port").asText()).isEqualTo(port);
        assertThat(cluster.get("controller").get("id").isInt()).isTrue();
    }

    @Test
    void topicsListOurTopicsWithPartitionsConfigsOffsetsAndSize() {
        int perBatch = Json.resourceTree("golden/seed/metrics-records.json").size();
        JsonNode topics = get("/api/v1/topics").get("topics");

        assertThat(topics).hasSize(4);
        JsonNode metrics = topics.get(0);
        assertThat(metrics.get("name").asText()).isEqualTo(bridge.topic("metrics"));
        assertThat(metrics.get("exists").asBoolean()).isTrue();
        assertThat(metrics.get("partitions").asInt()).isEqualTo(3);
        assertThat(metrics.get("replication_factor").asInt()).isEqualTo(1);
        assertThat(metrics.get("records").asLong()).isEqualTo(3L * perBatch);
        assertThat(metrics.get("size_bytes").asLong()).isPositive();
        assertThat(metrics.get("configs").get("cleanup.policy").asText()).isEqualTo("delete");
        assertThat(metrics.get("partition_details")).hasSize(3);
        assertThat(topics.get(3).get("name").asText()).isEqualTo(bridge.topic("dlq"));
        assertThat(topics.get(3).get("records").asLong()).isEqualTo(1);
    }

    @Test
    void otherMethodsAre405WithTheAllowedOnes() {
        HttpResponse<String> response = bridge.post("/api/v1/stats", "application/json", new byte[0]);

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
    }

    static JsonNode get(String path) {
        HttpResponse<String> response = bridge.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }

    static double prometheusSum(String text, String name) {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        while (m.find()) {
            if (m.group(1) == null || !m.group(1).contains("topic=")) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}
