package io.telemetrybridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.NumberedBatches;
import io.telemetrybridge.support.OtlpGrpcClient;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ordinary day of operations under a stream of requests (OTLP/HTTP protobuf, the seed API, OTLP/gRPC): live
 * reloads of the ingestion route files (a comment-only edit, then an edit naming an unknown bean, which is put
 * back) and a shutdown. Every answer is one a client retries or a success: 200 / {@code OK}, or 503 with
 * {@code Retry-After} (with our error body, except for a request caught inside a route at the instant it stops)
 * / {@code UNAVAILABLE} with a retry delay, or a refused connection once the ports close. Never 404, 405, a bare 503 or a 500. Every acknowledged request has all its records on Kafka.
 */
@ExtendWith(KafkaBroker.class)
class OperationsUnderLoadTest {

    static final int ITEMS = 3;

    @TempDir
    Path routes;

    /** What the clients saw: answers by kind, and the request numbers acknowledged. */
    static final class Stream3 {
        final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        final List<String> wrong = new CopyOnWriteArrayList<>();
        final Map<Integer, Boolean> acknowledged = new ConcurrentHashMap<>();
        final AtomicInteger next = new AtomicInteger();
        final AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients;

        void count(String kind) {
            answers.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        }

        void start(RunningBridge bridge, OtlpGrpcClient grpc) {
            clients = Executors.newFixedThreadPool(3);
            clients.submit(() -> loop(() -> http(bridge, "/v1/logs", "application/x-protobuf", true)));
            clients.submit(() -> loop(() -> http(bridge, "/api/v1/logs", "application/json", false)));
            clients.submit(() -> loop(() -> grpc(grpc)));
        }

        void loop(Runnable send) {
            while (running.get()) {
                send.run();
            }
        }

        void http(RunningBridge bridge, String path, String type, boolean otlp) {
            int id = next.getAndIncrement();
            byte[] body = otlp ? NumberedBatches.otlpLogs(id, ITEMS) : NumberedBatches.batch(id, ITEMS);
            HttpResponse<String> r;
            try {
                r = bridge.post(path, type, body);
            } catch (UncheckedIOException refused) {
                count("http refused connection");
                Topics.sleep(50);
                return;
            }
            int status = r.statusCode();
            count("http " + status);
            if (status == 200) {
                acknowledged.put(id, true);
            } else if (status == 503 && r.headers().firstValue("Retry-After").isPresent() && r.body().isEmpty()
                    && r.headers().firstValue("Content-Type").isEmpty()) {
                // A request that reached the route's consumer just as it was suspended (after the front door saw
                // the route available): platform-http's own empty 503, made retryable by our Retry-After (its body
                // cannot be replaced any more). Counted, so the rate is seen. A request refused inside the
                // stopping route (an empty text/plain 500 from platform-http) gets the protocol's body instead
                // (StoppingRouteAnswers).
                count("http 503 without body");
            } else if (status != 503 || r.headers().firstValue("Retry-After").isEmpty() || r.body().isEmpty()) {
                wrong.add(java.time.Instant.now() + " " + path + " " + status + " " + r.headers().map() + " "
                        + r.body());
            }
        }

        void grpc(OtlpGrpcClient grpc) {
            int id = next.getAndIncrement();
            OtlpGrpcClient.Answer a = grpc.export("logs", NumberedBatches.otlpLogs(id, ITEMS));
            count("grpc " + a.code());
            if (a.code() == Status.Code.OK) {
                acknowledged.put(id, true);
            } else if (a.code() != Status.Code.UNAVAILABLE) {
                wrong.add(java.time.Instant.now() + " grpc " + a.code() + " " + a.message());
            } else if (a.retryDelaySeconds() < 0 && !a.message().contains("io exception")
                    && !a.message().contains("onnection")) {
                // An UNAVAILABLE of ours carries RetryInfo; a closed or refused connection is grpc-java's own
                // UNAVAILABLE ("io exception"), which clients retry as well.
                wrong.add(java.time.Instant.now() + " grpc UNAVAILABLE without RetryInfo: " + a.message());
            }
            if (a.code() != Status.Code.OK) {
                Topics.sleep(50);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        void assertAllAcknowledgedOnKafka(String topic) {
            Map<Integer, Integer> copies = NumberedBatches.recordsPerRequest(KafkaBroker.bootstrapServers(), topic);
            acknowledged.keySet().forEach(id -> assertThat(copies.getOrDefault(id, 0))
                    .as("records of acknowledged request " + id).isEqualTo(ITEMS));
        }
    }

    @Test
    void liveReloadsOfTheIngestionRoutesNeverAnswerSomethingAClientDropsAndLoseNothing() throws Exception {
        reloadsUnderLoad(Map.of());
    }

    /**
     * The same with the spool on (Kafka up, so it sends directly): routes of two files write the logs topic, and
     * replacing one file's routes must not disturb the other's requests (docs/delivery.md, "Spool").
     */
    @Test
    void liveReloadsWithTheSpoolOnNeverAnswerSomethingAClientDrops(@TempDir Path spool) throws Exception {
        reloadsUnderLoad(Map.of("bridge.spool.enabled", "true", "bridge.spool.dir", spool.toString()));
    }

    private void reloadsUnderLoad(Map<String, String> settings) throws Exception {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
        all.put("camel.main.routes-reload-directory", routes.toString());
        try (RunningBridge bridge = RunningBridge.start(all);
                OtlpGrpcClient grpc = new OtlpGrpcClient(bridge.grpcPort())) {
            Stream3 load = new Stream3();
            load.start(bridge, grpc);
            Topics.sleep(1500);
            for (String file : List.of("ingest-otlp.camel.yaml", "ingest-http.camel.yaml",
                    "ingest-otlp-grpc.camel.yaml")) {
                Path f = routes.resolve(file);
                Files.writeString(f, "# edited while requests stream in\n" + Files.readString(f));
                Topics.sleep(5000);
            }
            // Parses, but names a bean that does not exist: the routes of before are put back.
            Path http = routes.resolve("ingest-http.camel.yaml");
            String good = Files.readString(http);
            Files.writeString(http, good.replace("ref: httpIngest", "ref: noSuchBean"));
            Topics.sleep(6000);
            Files.writeString(http, good);
            Topics.sleep(5000);
            load.stop();

            System.out.printf("reload test: %s%n", load.answers);
            assertThat(load.wrong).as("answers a client would not retry").isEmpty();
            assertThat(load.answers.get("http 200")).as("HTTP requests served").isNotNull();
            assertThat(load.answers.get("grpc OK")).as("gRPC calls served").isNotNull();
            load.assertAllAcknowledgedOnKafka(bridge.topic("logs"));
        }
    }

    @Test
    void aShutdownUnderLoadAnswersRetryableAndKeepsEveryAcknowledgedRequest() throws Exception {
        RunningBridge bridge = RunningBridge.start();
        String topic = bridge.topic("logs");
        Stream3 load = new Stream3();
        try (OtlpGrpcClient grpc = new OtlpGrpcClient(bridge.grpcPort())) {
            load.start(bridge, grpc);
            Topics.sleep(2000);
            long start = System.nanoTime();
            bridge.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Topics.sleep(1000);
            load.stop();
            System.out.printf("shutdown test: stopped in %d ms; %s%n", took.toMillis(), load.answers);
        }
        assertThat(load.wrong).as("answers a client would not retry").isEmpty();
        assertThat(load.answers.get("http 200")).isNotNull();
        load.assertAllAcknowledgedOnKafka(topic);
        assertThat(readyAnswered(bridge)).isFalse();
    }

    private static boolean readyAnswered(RunningBridge bridge) {
        try {
            bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build());
            return true;
        } catch (UncheckedIOException closed) {
            return false;
        }
    }
}
