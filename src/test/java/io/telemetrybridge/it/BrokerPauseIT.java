package io.telemetrybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.support.BridgeJar;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.NumberedBatches;
import io.telemetrybridge.support.OtlpGrpcClient;
import io.telemetrybridge.support.RunningBridge;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A broker that stops answering without closing its connections (a child process paused with SIGSTOP, as a
 * long GC pause or a frozen VM looks to clients), then resumes (SIGCONT). Requests keep coming the whole time:
 * each is answered within the bound, 2xx only when all its records are on Kafka, and exactly once; health
 * answers in under a second throughout; after the resume, new requests succeed without a restart. Half the
 * clients send the seed API over HTTP, half OTLP logs over gRPC ({@code OK} counts as 200, {@code UNAVAILABLE}
 * as 503, {@code RESOURCE_EXHAUSTED} as 429; any other status fails the test).
 */
class BrokerPauseIT {

    static final int ITEMS = 5;
    static final int SENDERS = 4;

    @Test
    void acknowledgedRequestsAreOnKafkaExactlyOnceAcrossABrokerPause() throws Exception {
        Path dir = Files.createTempDirectory("paused-kafka-");
        int port = KafkaBroker.freePort();
        Process broker = new ProcessBuilder(BridgeJar.java(), "-Xmx512m", "-jar", BridgeJar.JAR.toString(), "broker",
                "--port", String.valueOf(port), "--controller-port", String.valueOf(KafkaBroker.freePort()),
                "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("broker.log").toFile()).start();
        Map<Integer, Integer> status = new ConcurrentHashMap<>();
        List<Long> slowAnswers = new CopyOnWriteArrayList<>();
        List<Long> probeMillis = new CopyOnWriteArrayList<>();
        try {
            awaitListening(port, broker, dir.resolve("broker.log"));
            try (RunningBridge bridge = RunningBridge.start(Map.of(
                    "bridge.kafka.bootstrap-servers", "127.0.0.1:" + port));
                    OtlpGrpcClient grpc = new OtlpGrpcClient(bridge.grpcPort())) {
                java.util.concurrent.atomic.AtomicInteger grpcCalls = new java.util.concurrent.atomic.AtomicInteger();
                java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
                AtomicBoolean probing = new AtomicBoolean(false);
                Thread prober = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        if (probing.get()) {
                            long start = System.nanoTime();
                            bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health")).build());
                            bridge.get("/api/v1/nothing-here");
                            probeMillis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
                        }
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "probe");
                prober.start();
                for (int phase = 0; phase < 3; phase++) {
                    if (phase == 1) {
                        signal("STOP", broker);
                        probing.set(true);
                    } else if (phase == 2) {
                        assertThat(kafkaCheck(bridge)).as("readiness while the broker is paused").isEqualTo("DOWN");
                        probing.set(false);
                        signal("CONT", broker);
                    }
                    long phaseEnd = System.nanoTime() + Duration.ofSeconds(phase == 1 ? 15 : 6).toNanos();
                    // Several clients at once, so requests are in flight when the broker stops and resumes.
                    java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(
                            SENDERS);
                    for (int c = 0; c < SENDERS; c++) {
                        boolean overGrpc = c % 2 == 1;
                        clients.submit(() -> {
                            while (System.nanoTime() < phaseEnd) {
                                int id = next.getAndIncrement();
                                long start = System.nanoTime();
                                int answer;
                                if (overGrpc) {
                                    answer = httpEquivalent(grpc.export("logs", NumberedBatches.otlpLogs(id, ITEMS)));
                                    grpcCalls.incrementAndGet();
                                } else {
                                    answer = bridge.post("/api/v1/logs", "application/json",
                                            NumberedBatches.batch(id, ITEMS)).statusCode();
                                }
                                long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
                                if (ms > 10_000) {
                                    slowAnswers.add(ms);
                                }
                                status.put(id, answer);
                            }
                            return null;
                        });
                    }
                    clients.shutdown();
                    assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
                }
                prober.interrupt();
                prober.join(10_000);
                long upBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!kafkaCheck(bridge).equals("UP") && System.nanoTime() < upBy) {
                    Thread.sleep(250);
                }
                assertThat(kafkaCheck(bridge)).as("readiness after the resume").isEqualTo("UP");
                int last = next.getAndIncrement();
                HttpResponse<String> after = bridge.post("/api/v1/logs", "application/json",
                        NumberedBatches.batch(last, ITEMS));
                assertThat(after.statusCode()).as("a request after the resume").isEqualTo(200);
                status.put(last, 200);

                Map<Integer, Integer> copies = NumberedBatches.recordsPerRequest("127.0.0.1:" + port,
                        bridge.topic("logs"));
                long ok = status.values().stream().filter(s -> s == 200).count();
                long refused = status.values().stream().filter(s -> s == 503 || s == 429).count();
                long refusedButStored = status.entrySet().stream()
                        .filter(e -> e.getValue() != 200 && copies.getOrDefault(e.getKey(), 0) > 0).count();
                System.out.printf("pause test: %d requests (%d over gRPC), %d answered 200, %d answered 503/429 (%d of them reached"
                        + " Kafka anyway), records on Kafka %d, health/404 probes during the pause: %d, slowest %d ms%n",
                        status.size(), grpcCalls.get(), ok, refused, refusedButStored,
                        copies.values().stream().mapToInt(Integer::intValue).sum(), probeMillis.size(),
                        probeMillis.stream().mapToLong(Long::longValue).max().orElse(-1));
                assertThat(ok + refused).as("every answer is 200, 503 or 429").isEqualTo(status.size());
                assertThat(refused).as("some requests fell in the pause").isPositive();
                assertThat(grpcCalls.get()).as("calls over gRPC").isPositive();
                assertThat(slowAnswers).as("answers slower than 10 s").isEmpty();
                assertThat(probeMillis).as("probes during the pause").isNotEmpty().allMatch(ms -> ms < 1000);
                status.forEach((id, s) -> {
                    if (s == 200) {
                        assertThat(copies.getOrDefault(id, 0)).as("records of acknowledged request " + id)
                                .isEqualTo(ITEMS);
                    } else {
                        assertThat(copies.getOrDefault(id, 0)).as("records of refused request " + id)
                                .isLessThanOrEqualTo(ITEMS);
                    }
                });
            }
        } finally {
            if (broker.isAlive()) {
                // A paused process does not act on SIGTERM until it runs again.
                new ProcessBuilder("kill", "-CONT", String.valueOf(broker.pid())).start().waitFor(10, TimeUnit.SECONDS);
            }
            broker.destroy();
            if (!broker.waitFor(30, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    /** A gRPC answer as the HTTP status the test counts; a status no client should get is kept distinct. */
    private static int httpEquivalent(OtlpGrpcClient.Answer answer) {
        return switch (answer.code()) {
            case OK -> 200;
            case UNAVAILABLE -> answer.retryDelaySeconds() > 0 ? 503 : 1000 + answer.code().value();
            case RESOURCE_EXHAUSTED -> answer.retryDelaySeconds() > 0 ? 429 : 1000 + answer.code().value();
            default -> 1000 + answer.code().value();
        };
    }

    private static void signal(String name, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -" + name).isZero();
    }

    private static String kafkaCheck(RunningBridge bridge) {
        JsonNode health = Json.tree(bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health"))
                .build()).body());
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals("kafka")) {
                return check.get("status").asText();
            }
        }
        return "missing";
    }

    private static void awaitListening(int port, Process broker, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new AssertionError("the broker process ended: " + Files.readString(log));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the broker did not listen on " + port + " within 60 s");
    }
}
