package io.telemetrybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.support.BridgeJar;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.NumberedBatches;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar with the spool on, and a broker in a process of its own: the broker is stopped for 60 s under
 * steady load, the bridge is killed with SIGKILL in the middle of the outage and started again on the same spool.
 * Every request answered 200 has all its records on Kafka once the broker is back (at least once), each client's
 * acknowledged requests in order. A full spool answers 503 with Retry-After and loses nothing acknowledged.
 * Part of {@code mvn verify -Pfaults}.
 */
class SpoolKillIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int CLIENTS = 4;

    @Test
    void aSixtySecondOutageAndAKillDuringItLoseNothingAcknowledged() throws Exception {
        Path dir = Files.createTempDirectory("spool-kill-");
        int kafkaPort = KafkaBroker.freePort();
        int controllerPort = KafkaBroker.freePort();
        int http = KafkaBroker.freePort();
        int mgmt = KafkaBroker.freePort();
        String topic = "spool-" + UUID.randomUUID().toString().substring(0, 8) + ".logs";
        String[] settings = {"bridge.kafka.bootstrap-servers=127.0.0.1:" + kafkaPort, "bridge.topics.logs=" + topic,
                "bridge.spool.enabled=true", "bridge.spool.dir=" + dir.resolve("spool"), "camel.server.port=" + http,
                "camel.management.port=" + mgmt, "bridge.heartbeat.enabled=false"};
        Process broker = broker(dir, kafkaPort, controllerPort);
        Path work = BridgeJar.workDir("spool-bridge-");
        Process bridge = BridgeJar.start(work, settings);
        Map<String, Integer> status = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        try {
            BridgeJar.awaitReady(mgmt);
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    for (int request = 0; !stop.get(); request++) {
                        status.put(client + "/" + request, post(http, NumberedBatches.keyed(client, request, 5)).statusCode);
                    }
                });
                t.start();
                clients.add(t);
            }
            Thread.sleep(3000);
            broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Thread.sleep(25_000);
            // SIGKILL in the middle of the outage, then the same spool again.
            bridge.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            bridge = BridgeJar.start(work, settings);
            BridgeJar.awaitReady(mgmt);
            Thread.sleep(25_000);
            long during = status.values().stream().filter(s -> s == 200).count();
            broker = broker(dir, kafkaPort, controllerPort);
            Thread.sleep(5000);
            stop.set(true);
            for (Thread t : clients) {
                t.join(30_000);
            }
            awaitDrained(mgmt);
            Map<String, List<Integer>> seen = NumberedBatches.requestsInOrder("127.0.0.1:" + kafkaPort, topic, 5);
            long acknowledged = 0;
            for (int c = 0; c < CLIENTS; c++) {
                List<Integer> ok = new ArrayList<>();
                for (int r = 0; status.containsKey(c + "/" + r); r++) {
                    if (status.get(c + "/" + r) == 200) {
                        ok.add(r);
                    }
                }
                acknowledged += ok.size();
                List<Integer> onKafka = new ArrayList<>(seen.getOrDefault("client-" + c, List.of()));
                onKafka.retainAll(ok);
                assertThat(onKafka).as("client %d: acknowledged requests on Kafka, in order", c).isEqualTo(ok);
            }
            System.out.printf("spool kill test: %d requests, %d acknowledged (%d before the broker came back)%n",
                    status.size(), acknowledged, during);
            // Not acknowledged, and retryable: no answer while the bridge was down, 503 "starting" while it started.
            assertThat(status.values()).as("answers").allMatch(s -> s == 200 || s == -1 || s == 503);
            assertThat(status.values().stream().filter(s -> s == 503).count()).as("503 answers")
                    .isLessThan(status.size() / 10);
            assertThat(during).as("requests acknowledged during the outage").isGreaterThan(100);
        } finally {
            stop.set(true);
            bridge.destroyForcibly();
            broker.destroyForcibly();
        }
    }

    @Test
    void aFullSpoolAnswers503AndLosesNothingAcknowledged() throws Exception {
        Path dir = Files.createTempDirectory("spool-full-");
        int kafkaPort = KafkaBroker.freePort();
        int controllerPort = KafkaBroker.freePort();
        int http = KafkaBroker.freePort();
        int mgmt = KafkaBroker.freePort();
        String topic = "spool-" + UUID.randomUUID().toString().substring(0, 8) + ".logs";
        Process broker = broker(dir, kafkaPort, controllerPort);
        Process bridge = BridgeJar.start(BridgeJar.workDir("spool-full-bridge-"),
                "bridge.kafka.bootstrap-servers=127.0.0.1:" + kafkaPort, "bridge.topics.logs=" + topic,
                "bridge.spool.enabled=true", "bridge.spool.dir=" + dir.resolve("spool"),
                "bridge.spool.max-bytes=200000", "bridge.spool.segment-bytes=50000", "camel.server.port=" + http,
                "camel.management.port=" + mgmt, "bridge.heartbeat.enabled=false");
        try {
            BridgeJar.awaitReady(mgmt);
            broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            List<Integer> ok = new ArrayList<>();
            Answer refused = null;
            for (int r = 0; r < 5000 && refused == null; r++) {
                Answer a = post(http, NumberedBatches.keyed(0, r, 5));
                if (a.statusCode == 200) {
                    ok.add(r);
                } else {
                    refused = a;
                }
            }
            assertThat(refused).as("an answer other than 200 once the spool is full").isNotNull();
            assertThat(refused.statusCode).isEqualTo(503);
            assertThat(refused.retryAfter).isNotNull();
            assertThat(refused.body).contains("spool is full");
            assertThat(ok).hasSizeGreaterThan(50);
            HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mgmt
                    + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as("readiness with a full spool").isEqualTo(503);
            broker = broker(dir, kafkaPort, controllerPort);
            awaitDrained(mgmt);
            List<Integer> onKafka = new ArrayList<>(NumberedBatches.requestsInOrder("127.0.0.1:" + kafkaPort, topic, 5)
                    .getOrDefault("client-0", List.of()));
            onKafka.retainAll(ok);
            assertThat(onKafka).isEqualTo(ok);
        } finally {
            bridge.destroyForcibly();
            broker.destroyForcibly();
        }
    }

    private record Answer(int statusCode, String retryAfter, String body) {}

    private static Answer post(int port, byte[] body) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/logs")).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Retry-After").orElse(null), r.body());
        } catch (IOException e) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            return new Answer(-1, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, e.toString());
        }
    }

    /** Waits until readiness no longer says the spool holds records (all sent to Kafka). */
    private static void awaitDrained(int mgmt) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mgmt
                        + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                body = r.body();
                if (r.statusCode() == 200 && !body.contains("spooling since")) {
                    return;
                }
            } catch (IOException notYet) {
                // keep waiting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the spool was not sent to Kafka within 120 s: " + body);
    }

    private static Process broker(Path dir, int port, int controllerPort) throws Exception {
        Process p = new ProcessBuilder(BridgeJar.java(), "-Xmx512m", "-jar", BridgeJar.JAR.toString(), "broker",
                "--port", String.valueOf(port), "--controller-port", String.valueOf(controllerPort),
                "--data-dir", dir.resolve("kafka").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("broker.log").toFile())).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the broker did not listen on " + port + " within 60 s");
    }
}
