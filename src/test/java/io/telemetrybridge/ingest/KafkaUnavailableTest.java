package io.telemetrybridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A bridge whose Kafka cluster does not answer: it still starts, and tells clients to come back later. */
class KafkaUnavailableTest {

    private static RunningBridge bridge;

    @BeforeAll
    static void start() {
        // Nothing listens on this port.
        bridge = RunningBridge.start(Map.of(
                "bridge.kafka.bootstrap-servers", "127.0.0.1:" + KafkaBroker.freePort(),
                "bridge.kafka.admin-timeout-ms", "1000"));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @Test
    void postIsAnswered503WithRetryAfterWithinTenSeconds() {
        long start = System.nanoTime();
        HttpResponse<String> response = bridge.post("/api/v1/metrics", "application/json",
                Json.resource("golden/seed/metrics-batch.json"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(Json.tree(response.body()).get("message").textValue()).contains("retry");
        assertThat(response.body()).doesNotContain("\tat ");
        // Counted, and in the seed statistics' error_count.
        String metrics = bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/metrics")).build()).body();
        assertThat(metrics).containsPattern(
                "telemetry_bridge_requests_unavailable_total\\{signal=\"metrics\",source=\"http\"} [1-9]");
        HttpResponse<String> stats = bridge.get("/api/v1/stats");
        assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
        assertThat(Json.tree(stats.body()).get("error_count").asLong()).isPositive();
    }

    @Test
    void readsAreAnswered503WithRetryAfter() {
        for (String path : new String[] {"/api/v1/topics", "/api/v1/query/logs?service=x"}) {
            long start = System.nanoTime();
            HttpResponse<String> response = bridge.get(path);
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(Json.tree(response.body()).get("message").textValue())
                    .matches("(Kafka cannot be read now|Kafka did not answer).*");
        }
    }

    @Test
    void requestsBeyondTheInFlightBoundAre429AtOnce() throws Exception {
        try (RunningBridge small = RunningBridge.start(Map.of(
                "bridge.kafka.bootstrap-servers", "127.0.0.1:" + KafkaBroker.freePort(),
                "bridge.kafka.admin-timeout-ms", "1000", "bridge.http.max-in-flight-requests", "1"))) {
            // The first request holds the only slot while it waits for Kafka (about 5 s).
            var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> small.post("/v1/logs",
                    "application/json", Json.resource("fixtures/otlp/logs.json")));
            Topics.sleep(1000);
            long start = System.nanoTime();
            HttpResponse<String> second = small.post("/v1/logs", "application/json",
                    Json.resource("fixtures/otlp/logs.json"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(second.statusCode()).isEqualTo(429);
            assertThat(second.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(Json.tree(second.body()).get("code").asInt()).isEqualTo(8);
            assertThat(first.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(503);
            // The slot is free again once the first request was answered.
            assertThat(small.post("/api/v1/logs", "text/plain", new byte[1]).statusCode()).isEqualTo(415);
        }
    }

    @Test
    void heartbeatRecordsThatCannotBePublishedAreCountedAsDropped() {
        try (RunningBridge ticking = RunningBridge.start(Map.of(
                "bridge.kafka.bootstrap-servers", "127.0.0.1:" + KafkaBroker.freePort(),
                "bridge.kafka.admin-timeout-ms", "1000", "bridge.heartbeat.enabled", "true",
                "bridge.heartbeat.period-ms", "500"))) {
            String line = "telemetry_bridge_records_dropped_total{signal=\"metrics\",source=\"timer\"} ";
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            double dropped = 0;
            while (dropped < 4 && System.nanoTime() < deadline) {
                Topics.sleep(500);
                dropped = ticking.send(HttpRequest.newBuilder(ticking.managementUri("/observe/metrics")).build())
                        .body().lines().filter(l -> l.startsWith(line))
                        .mapToDouble(l -> Double.parseDouble(l.substring(line.length()))).sum();
            }
            // One tick is four records (uptime, and records forwarded per signal).
            assertThat(dropped).isGreaterThanOrEqualTo(4).matches(d -> d % 4 == 0, "a multiple of 4");
        }
    }

    @Test
    void readinessIsDownWithTheReasonWhileLivenessStaysUp() {
        HttpResponse<String> ready = bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health/ready"))
                .build());
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode kafka = kafkaCheck(bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health"))
                .build()).body());
        // The first background check takes its 3 s timeout; until then the check says it has not run yet.
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (kafka.get("message").textValue().equals("not checked yet") && System.nanoTime() < deadline) {
            Topics.sleep(250);
            kafka = kafkaCheck(bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health"))
                    .build()).body());
        }
        assertThat(kafka.get("status").textValue()).isEqualTo("DOWN");
        assertThat(kafka.get("message").textValue()).contains("did not answer within");
        assertThat(bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health/live")).build())
                .statusCode()).isEqualTo(200);
    }

    static JsonNode kafkaCheck(String health) {
        for (JsonNode check : Json.tree(health).get("checks")) {
            if (check.get("name").textValue().equals("kafka")) {
                return check;
            }
        }
        throw new AssertionError("no kafka check in " + health);
    }

    @Test
    void healthEndpointStillAnswersQuicklyWhileKafkaIsDown() {
        long start = System.nanoTime();
        HttpResponse<String> response = bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health"))
                .timeout(Duration.ofSeconds(5)).build());
        assertThat(response.statusCode()).isBetween(200, 503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void droppedFileStaysInTheInboxUntilKafkaTakesIt() throws Exception {
        Path dir = bridge.inbox().resolve("logs");
        Files.createDirectories(dir);
        Files.write(dir.resolve("waiting.json"), Json.resource("golden/seed/logs-batch.json"));

        // Long enough for the file to be picked up and one publish attempt to time out (max-block-ms 5 s).
        Topics.sleep(8000);

        assertThat(Files.exists(dir.resolve("waiting.json"))).isTrue();
        assertThat(bridge.inbox().resolve(".done/logs")).doesNotExist();
        assertThat(bridge.inbox().resolve(".error/logs")).doesNotExist();
        // Sent again with back-off: each attempt counts the file's three records.
        String line = "telemetry_bridge_records_retried_total{signal=\"logs\",source=\"file\"} ";
        double retried = bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/metrics")).build())
                .body().lines().filter(l -> l.startsWith(line))
                .mapToDouble(l -> Double.parseDouble(l.substring(line.length()))).sum();
        assertThat(retried).isGreaterThanOrEqualTo(3).matches(d -> d % 3 == 0, "a multiple of 3");
    }
}
