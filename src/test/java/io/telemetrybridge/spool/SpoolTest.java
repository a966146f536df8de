package io.telemetrybridge.spool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.kafka.EmbeddedKafkaBroker;
import io.telemetrybridge.support.Drops;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.NumberedBatches;
import io.telemetrybridge.support.OtlpGrpcClient;
import io.telemetrybridge.support.RunningBridge;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The spool on (bridge.spool.enabled) against a broker of the test's own that stops and comes back under steady
 * load from several clients: every request is answered 200 throughout, readiness stays UP saying it spools, and
 * once the broker is back every acknowledged record is on Kafka (at least once; none missing at the start or the
 * end of the outage), each client's records in the order they were acknowledged.
 */
class SpoolTest {

    private static final int ITEMS = 5;
    private static final int CLIENTS = 4;
    private static final int GRPC_REQUEST = 900_000;
    private static final int FILE_REQUEST = 800_000;

    @Test
    void acknowledgedRecordsSurviveABrokerOutageInOrder() throws Exception {
        Path spoolDir = Files.createTempDirectory("spool-");
        Map<String, Integer> status = new ConcurrentHashMap<>();
        List<String> readiness = new ArrayList<>();
        try (OwnBroker broker = new OwnBroker();
                RunningBridge bridge = RunningBridge.start(Map.of("bridge.kafka.bootstrap-servers",
                broker.bootstrapServers(), "bridge.spool.enabled", "true", "bridge.spool.dir", spoolDir.toString(),
                "bridge.spool.kafka-timeout-ms", "1000"))) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    for (int request = 0; !stop.get(); request++) {
                        HttpResponse<String> r = bridge.post("/api/v1/logs", "application/json", batch(client, request));
                        status.put(client + "/" + request, r.statusCode());
                        if (r.statusCode() != 200) {
                            return;
                        }
                    }
                });
                t.start();
                clients.add(t);
            }
            Thread.sleep(3000);
            broker.stop();
            List<io.grpc.Status.Code> grpcAnswers = new ArrayList<>();
            try (OtlpGrpcClient grpc = new OtlpGrpcClient(bridge.grpcPort())) {
                for (int i = 0; i < 12; i++) {
                    Thread.sleep(1000);
                    readiness.add(ready(bridge));
                    if (i < 3) {
                        // OTLP/gRPC goes through the spool too.
                        grpcAnswers.add(grpc.export("logs", NumberedBatches.otlpLogs(GRPC_REQUEST + i, ITEMS)).code());
                    }
                }
            }
            assertThat(grpcAnswers).containsOnly(io.grpc.Status.Code.OK);
            broker.restart();
            Thread.sleep(4000);
            stop.set(true);
            for (Thread t : clients) {
                t.join(30_000);
            }
            assertThat(status.values()).as("answers").containsOnly(200);
            assertThat(readiness).as("readiness while the broker is away")
                    .allMatch(r -> r.startsWith("200 ")).anyMatch(r -> r.contains("spooling since"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ready(bridge).contains("spooling since") && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(ready(bridge)).doesNotContain("spooling since");
            JsonNode stats = Json.tree(bridge.get("/api/v1/stats").body()).get("spool");
            assertThat(stats.get("records_spooled").asLong()).isPositive();
            assertThat(stats.get("records_replayed").asLong()).isGreaterThanOrEqualTo(stats.get("records_spooled").asLong());
            assertThat(stats.get("records_held").asLong()).isZero();

            Map<Integer, Integer> copies = NumberedBatches.recordsPerRequest(broker.bootstrapServers(), bridge.topic("logs"));
            for (int i = 0; i < 3; i++) {
                assertThat(copies.getOrDefault(GRPC_REQUEST + i, 0)).as("records of gRPC request %d", i)
                        .isGreaterThanOrEqualTo(ITEMS);
            }
            Map<String, List<Integer>> perClient = NumberedBatches.requestsInOrder(broker.bootstrapServers(), bridge.topic("logs"), ITEMS);
            long acknowledged = status.size();
            for (int c = 0; c < CLIENTS; c++) {
                List<Integer> seen = perClient.getOrDefault("client-" + c, List.of());
                String prefix = client(c);
                int sent = (int) status.keySet().stream().filter(k -> k.startsWith(prefix)).count();
                assertThat(seen).as("client %d: every acknowledged request on Kafka, in order", c)
                        .isEqualTo(java.util.stream.IntStream.range(0, sent).boxed().toList());
            }
            assertThat(acknowledged).as("requests answered during the test").isGreaterThan(CLIENTS * 10L);
            try (var files = Files.list(spoolDir)) {
                assertThat(files.filter(p -> p.toString().endsWith(".spool"))).as("spool segments left").isEmpty();
            }
        }
    }

    @Test
    void aFullSpoolAnswers503WithRetryAfter() throws Exception {
        Path spoolDir = Files.createTempDirectory("spool-full-");
        try (OwnBroker broker = new OwnBroker();
                RunningBridge bridge = RunningBridge.start(Map.of("bridge.kafka.bootstrap-servers",
                broker.bootstrapServers(), "bridge.spool.enabled", "true", "bridge.spool.dir", spoolDir.toString(),
                "bridge.spool.max-bytes", "20000", "bridge.spool.kafka-timeout-ms", "500"))) {
            broker.stop();
            HttpResponse<String> r = null;
            int accepted = 0;
            for (int request = 0; request < 1000; request++) {
                r = bridge.post("/api/v1/logs", "application/json", batch(0, request));
                if (r.statusCode() != 200) {
                    break;
                }
                accepted++;
            }
            assertThat(accepted).as("requests spooled before the spool was full").isGreaterThan(5);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(r.body()).contains("spool is full");
            assertThat(ready(bridge)).startsWith("503 ").contains("spool is full");
        }
    }

    /**
     * What the spool leaves alone: a file drop waits in its inbox while Kafka is away (its file is its spool), and
     * a dead letter Kafka cannot take goes to the dead-letter folder, as without a spool.
     */
    @Test
    void aFileDropWaitsInItsInboxAndADeadLetterGoesToItsFolder() throws Exception {
        Path spoolDir = Files.createTempDirectory("spool-file-");
        Path letters = Files.createTempDirectory("spool-letters-");
        try (OwnBroker broker = new OwnBroker();
                RunningBridge bridge = RunningBridge.start(Map.of("bridge.kafka.bootstrap-servers",
                broker.bootstrapServers(), "bridge.spool.enabled", "true", "bridge.spool.dir", spoolDir.toString(),
                "bridge.dlq.folder", letters.toString()))) {
            broker.stop();
            Drops.drop(bridge.inbox(), "logs", "outage.json", NumberedBatches.batch(FILE_REQUEST, ITEMS));
            HttpResponse<String> refused = bridge.post("/api/v1/logs", "application/json",
                    "{\"logs\": [{\"level\": \"info\"}]}".getBytes(StandardCharsets.UTF_8));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            Thread.sleep(5000);
            assertThat(bridge.inbox().resolve("logs/outage.json")).as("the file waits in its inbox").exists();
            assertThat(Drops.filesIn(letters)).as("dead letters in the folder").isNotEmpty();
            JsonNode stats = Json.tree(bridge.get("/api/v1/stats").body()).get("spool");
            assertThat(stats.get("records_spooled").asLong()).as("records spooled").isZero();

            broker.restart();
            Drops.awaitTrue(() -> !Drops.filesIn(bridge.inbox().resolve(".done/logs")).isEmpty(),
                    Duration.ofSeconds(60));
            assertThat(NumberedBatches.recordsPerRequest(broker.bootstrapServers(), bridge.topic("logs"))
                    .getOrDefault(FILE_REQUEST, 0)).as("the file's records").isEqualTo(ITEMS);
        }
    }

    /**
     * A request alone when the broker goes away is spooled after bridge.spool.kafka-timeout-ms, not after the
     * producer's delivery timeout: the producer flushed a lone request's records on the sending thread, which
     * blocked until the records expired (a trial saw 37 s and a 500) before the spool's timeout was armed. Its
     * records reach Kafka with the time the bridge took them, not the time of the replay.
     */
    @Test
    void aLoneRequestIsSpooledOnceTheKafkaTimeoutIsUp() throws Exception {
        Path spoolDir = Files.createTempDirectory("spool-lone-");
        try (OwnBroker broker = new OwnBroker();
                RunningBridge bridge = RunningBridge.start(Map.of("bridge.kafka.bootstrap-servers",
                broker.bootstrapServers(), "bridge.spool.enabled", "true", "bridge.spool.dir", spoolDir.toString(),
                "bridge.spool.kafka-timeout-ms", "500"))) {
            assertThat(bridge.post("/api/v1/logs", "application/json", batch(0, 0)).statusCode()).isEqualTo(200);
            broker.stop();
            long start = System.nanoTime();
            HttpResponse<String> r = bridge.post("/api/v1/logs", "application/json", batch(0, 1));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            long answeredAt = System.currentTimeMillis();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            // Well under the producer's delivery timeout (8 s), which the old code waited out.
            assertThat(tookMs).as("ms to answer a lone request with the broker away").isLessThan(5_000);
            JsonNode stats = Json.tree(bridge.get("/api/v1/stats").body()).get("spool");
            assertThat(stats.get("records_spooled").asLong()).as("records spooled").isEqualTo(ITEMS);
            // A request spooled while the forwarder already waits on its first batch: sent after the restart.
            Thread.sleep(1000);
            HttpResponse<String> later = bridge.post("/api/v1/logs", "application/json", batch(0, 2));
            long laterAt = System.currentTimeMillis();
            assertThat(later.statusCode()).as(later.body()).isEqualTo(200);
            Thread.sleep(2000);
            broker.restart();
            Drops.awaitTrue(() -> Json.tree(bridge.get("/api/v1/stats").body()).get("spool").get("records_replayed")
                    .asLong() >= 2 * ITEMS, Duration.ofSeconds(60));
            Map<Integer, Integer> copies = NumberedBatches.recordsPerRequest(broker.bootstrapServers(), bridge.topic("logs"));
            assertThat(copies.getOrDefault(1, 0)).as("records of the lone request").isGreaterThanOrEqualTo(ITEMS);
            assertThat(copies.getOrDefault(2, 0)).as("records of the later request").isGreaterThanOrEqualTo(ITEMS);
            // Every copy is stamped with the time the bridge took the request, not the time of its replay.
            Map<Integer, Long> stamped = NumberedBatches.latestTimestamps(broker.bootstrapServers(), bridge.topic("logs"));
            assertThat(stamped.get(1)).as("Kafka timestamp of the lone request").isLessThanOrEqualTo(answeredAt);
            assertThat(stamped.get(2)).as("Kafka timestamp of the later request").isLessThanOrEqualTo(laterAt);
            // The spool's producer sent all of them: the stats count it.
            assertThat(Json.tree(bridge.get("/api/v1/stats").body()).get("messages_produced").asLong())
                    .as("messages produced").isGreaterThanOrEqualTo(3L * ITEMS);
        }
    }

    private static String client(int c) {
        return c + "/";
    }

    private static String ready(RunningBridge bridge) {
        HttpResponse<String> r = bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health/ready"))
                .build());
        return r.statusCode() + " " + r.body();
    }

    static byte[] batch(int client, int request) {
        return NumberedBatches.keyed(client, request, ITEMS);
    }

    /** A broker of the test's own that can be stopped and started again on the same log and ports. */
    private static final class OwnBroker implements AutoCloseable {
        private final Path dir = Files.createTempDirectory("spool-kafka-");
        private final int port = KafkaBroker.freePort();
        private final int controllerPort = KafkaBroker.freePort();
        private EmbeddedKafkaBroker broker;

        OwnBroker() throws Exception {
            restart();
        }

        void restart() throws Exception {
            broker = new EmbeddedKafkaBroker(dir, port, controllerPort);
            broker.start();
        }

        void stop() {
            broker.stop();
        }

        String bootstrapServers() {
            return broker.bootstrapServers();
        }

        @Override
        public void close() {
            broker.stop();
        }
    }
}
