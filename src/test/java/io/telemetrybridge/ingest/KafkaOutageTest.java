package io.telemetrybridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.kafka.EmbeddedKafkaBroker;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.NumberedBatches;
import io.telemetrybridge.support.RunningBridge;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away in the middle of a stream of requests and comes back: every request answered 2xx has
 * all its records on Kafka exactly once; every other request was answered 503/429 within the bound; new
 * requests succeed after the broker returns, without restarting the bridge.
 */
class KafkaOutageTest {

    private static final int ITEMS = 5;
    private static final int FILE_REQUEST = 999_999;

    @Test
    void acknowledgedRequestsAreOnKafkaExactlyOnceAcrossABrokerOutage() throws Exception {
        Path dir = Files.createTempDirectory("outage-kafka-");
        int port = KafkaBroker.freePort();
        int controllerPort = KafkaBroker.freePort();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, port, controllerPort);
        broker.start();
        Map<Integer, Integer> status = new HashMap<>();
        List<Long> slowAnswers = new ArrayList<>();
        try (RunningBridge bridge = RunningBridge.start(Map.of("bridge.kafka.bootstrap-servers",
                broker.bootstrapServers()))) {
            int request = 0;
            for (int phase = 0; phase < 3; phase++) {
                if (phase == 1) {
                    broker.stop();
                    // A file dropped while Kafka is down waits in the inbox and is published once it returns.
                    Path inbox = bridge.inbox().resolve("logs");
                    Files.createDirectories(inbox);
                    Files.write(inbox.resolve("during-outage.json"), batch(FILE_REQUEST));
                } else if (phase == 2) {
                    assertThat(bridge.inbox().resolve("logs/during-outage.json")).exists();
                    assertThat(KafkaUnavailableTest.kafkaCheck(health(bridge)).get("status").textValue())
                            .as("readiness check while the broker is down").isEqualTo("DOWN");
                    broker = new EmbeddedKafkaBroker(dir, port, controllerPort);
                    broker.start();
                }
                long phaseEnd = System.nanoTime() + Duration.ofSeconds(phase == 1 ? 12 : 6).toNanos();
                while (System.nanoTime() < phaseEnd) {
                    long start = System.nanoTime();
                    HttpResponse<String> r = bridge.post("/api/v1/logs", "application/json", batch(request));
                    long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
                    if (ms > 10_000) {
                        slowAnswers.add(ms);
                    }
                    status.put(request, r.statusCode());
                    request++;
                }
            }
            Path done = bridge.inbox().resolve(".done/logs");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(Files.isDirectory(done) && Files.list(done).findAny().isPresent()) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(Files.list(done).toList()).as("the outage file moved to .done after recovery").hasSize(1);
            long readyBy = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!KafkaUnavailableTest.kafkaCheck(health(bridge)).get("status").textValue().equals("UP")
                    && System.nanoTime() < readyBy) {
                Thread.sleep(250);
            }
            assertThat(KafkaUnavailableTest.kafkaCheck(health(bridge)).get("status").textValue())
                    .as("readiness check after the broker returned").isEqualTo("UP");
            // After the broker returned, the bridge accepts again without a restart.
            assertThat(bridge.post("/api/v1/logs", "application/json", batch(request)).statusCode()).isEqualTo(200);
            status.put(request, 200);

            Map<Integer, Integer> copies = recordsPerRequest(broker.bootstrapServers(), bridge.topic("logs"));
            long ok = status.values().stream().filter(s -> s == 200).count();
            long refused = status.values().stream().filter(s -> s == 503 || s == 429).count();
            System.out.printf("outage test: %d requests, %d answered 200, %d answered 503/429, records on Kafka %d%n",
                    status.size(), ok, refused, copies.values().stream().mapToInt(Integer::intValue).sum());
            assertThat(ok + refused).isEqualTo(status.size());
            assertThat(copies.get(FILE_REQUEST)).as("records of the file dropped during the outage").isEqualTo(ITEMS);
            assertThat(refused).as("some requests fell in the outage").isPositive();
            assertThat(slowAnswers).as("answers slower than 10 s").isEmpty();
            status.forEach((id, s) -> {
                if (s == 200) {
                    assertThat(copies.getOrDefault(id, 0)).as("records of acknowledged request " + id)
                            .isEqualTo(ITEMS);
                } else {
                    // Not acknowledged: the client retries. Kafka may hold part of it, never more than once.
                    assertThat(copies.getOrDefault(id, 0)).isLessThanOrEqualTo(ITEMS);
                }
            });
        } finally {
            broker.stop();
        }
    }

    private static String health(RunningBridge bridge) {
        return bridge.send(java.net.http.HttpRequest.newBuilder(bridge.managementUri("/observe/health")).build()).body();
    }

    private static byte[] batch(int request) {
        return NumberedBatches.batch(request, ITEMS);
    }

    private static Map<Integer, Integer> recordsPerRequest(String bootstrap, String topic) {
        return NumberedBatches.recordsPerRequest(bootstrap, topic);
    }
}
