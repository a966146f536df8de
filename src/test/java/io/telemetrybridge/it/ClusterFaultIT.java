package io.telemetrybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.support.KafkaCluster;
import io.telemetrybridge.support.NumberedBatches;
import io.telemetrybridge.support.OtlpGrpcClient;
import io.telemetrybridge.support.RunningBridge;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bridge on a real three-node Kafka cluster (KRaft, every node broker and controller in its own process;
 * the bridge's topics with replication factor 3 and {@code min.insync.replicas} 2) while clients stream
 * requests, half the seed API over HTTP, half OTLP logs over gRPC. First the leaders of the log topic's
 * partitions are moved by the controller (replica order rotated, preferred leaders elected); then the node that
 * leads one of them (the metadata quorum's leader, when it leads one) is killed with SIGKILL. Through both:
 * every request answered 200/{@code OK} has each of its records on Kafka exactly once, every answer comes
 * within 10 s and is one a client retries (200, 503/429 with {@code Retry-After}, gRPC {@code OK},
 * {@code UNAVAILABLE} or {@code RESOURCE_EXHAUSTED} with a retry delay), and readiness stays UP, since two of
 * three replicas still take writes. A controlled leader move costs no request at all; after the kill, requests
 * succeed again without a restart of anything.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultIT {

    static final int ITEMS = 5;
    static final int SENDERS = 4;
    /** The bridge answers within max(max-block-ms, delivery-timeout-ms) = 8 s; 2 s for a busy 2-core machine. */
    static final long BOUND_MS = 10_000;

    static KafkaCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = KafkaCluster.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aControlledLeaderMoveCostsNoRequest() throws Exception {
        try (RunningBridge bridge = startBridge(); Admin admin = cluster.admin();
                OtlpGrpcClient grpc = new OtlpGrpcClient(bridge.grpcPort()); Load load = new Load(bridge, grpc)) {
            String topic = bridge.topic("logs");
            Thread.sleep(3_000);
            Map<TopicPartition, Integer> before = leaders(admin, topic);
            Map<TopicPartition, Integer> wanted = moveLeaders(admin, topic);
            long movedAt = System.nanoTime();
            Thread.sleep(5_000);
            load.stop();

            Map<Integer, Integer> copies = NumberedBatches.recordsPerRequest(cluster.bootstrapServers(), topic);
            load.report("leader move " + before + " -> " + wanted, copies);
            assertThat(leaders(admin, topic)).as("leaders after the move").isEqualTo(wanted);
            assertThat(wanted).allSatisfy((tp, leader) -> assertThat(leader).isNotEqualTo(before.get(tp)));
            assertThat(load.inFlightAt(movedAt)).as("requests in flight when the leaders moved").isPositive();
            load.assertRetryableWithinBound();
            assertThat(load.count(200)).as("requests answered 200/OK: a controlled move refuses none")
                    .isEqualTo(load.answers().size());
            load.assertAcknowledgedExactlyOnce(copies);
        }
    }

    @Test
    @Order(2)
    void acknowledgedRequestsSurviveASigkilledLeader() throws Exception {
        try (RunningBridge bridge = startBridge(); Admin admin = cluster.admin();
                OtlpGrpcClient grpc = new OtlpGrpcClient(bridge.grpcPort()); Load load = new Load(bridge, grpc)) {
            String topic = bridge.topic("logs");
            Thread.sleep(3_000);
            Map<TopicPartition, Integer> leaders = leaders(admin, topic);
            int controller = admin.describeMetadataQuorum().quorumInfo().get(15, TimeUnit.SECONDS).leaderId();
            int victim = leaders.containsValue(controller) ? controller
                    : leaders.get(new TopicPartition(topic, 0));
            cluster.kill(victim);
            long killedAt = System.nanoTime();
            // Long enough for the controller to fence the dead broker (session 9 s) and elect new leaders.
            Thread.sleep(16_000);
            load.stop();
            List<Integer> leadersAfter = new ArrayList<>(leaders(admin, topic).values());

            Map<Integer, Integer> copies = NumberedBatches.recordsPerRequest(cluster.bootstrapServers(), topic);
            load.report("SIGKILL of node " + victim + " (leaders " + leaders + ", quorum leader " + controller
                    + ") -> leaders " + leadersAfter, copies);
            assertThat(leadersAfter).as("leaders once the killed node is fenced").doesNotContain(victim)
                    .doesNotContain(-1);
            assertThat(load.inFlightAt(killedAt)).as("requests in flight at the kill").isPositive();
            load.assertRetryableWithinBound();
            load.assertAcknowledgedExactlyOnce(copies);
            assertThat(load.startedAfter(killedAt + Duration.ofSeconds(13).toNanos()))
                    .as("requests sent 13 s after the kill, when two brokers have led every partition for seconds")
                    .isNotEmpty().allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        }
    }

    private static RunningBridge startBridge() throws Exception {
        RunningBridge bridge = RunningBridge.start(Map.of(
                "bridge.kafka.bootstrap-servers", cluster.bootstrapServers(),
                "bridge.topics.replication-factor", "3",
                "bridge.topics.config.min.insync.replicas", "2"));
        try (Admin admin = cluster.admin()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (readiness(bridge) != 200) {
                assertThat(System.nanoTime()).as("bridge ready within 60 s").isLessThan(deadline);
                Thread.sleep(250);
            }
            // What the test stands on: a lost broker leaves two in-sync replicas, enough to take writes.
            String topic = bridge.topic("logs");
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS).get(topic)
                    .partitions()).hasSize(3).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(admin.describeConfigs(List.of(resource)).all().get(15, TimeUnit.SECONDS).get(resource)
                    .get("min.insync.replicas").value()).isEqualTo("2");
            return bridge;
        } catch (Exception | AssertionError e) {
            bridge.close();
            throw e;
        }
    }

    private static int readiness(RunningBridge bridge) {
        return bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health/ready"))
                .timeout(Duration.ofSeconds(5)).build()).statusCode();
    }

    private static Map<TopicPartition, Integer> leaders(Admin admin, String topic) throws Exception {
        Map<TopicPartition, Integer> out = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
        for (TopicPartitionInfo p : admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS)
                .get(topic).partitions()) {
            out.put(new TopicPartition(topic, p.partition()), p.leader() == null ? -1 : p.leader().id());
        }
        return out;
    }

    /**
     * Rotates every partition's replica list by one (same replicas, so no data moves) and elects the preferred
     * leaders: each partition's leadership passes to the replica that was second.
     */
    private static Map<TopicPartition, Integer> moveLeaders(Admin admin, String topic) throws Exception {
        Map<TopicPartition, Optional<NewPartitionReassignment>> moves = new HashMap<>();
        Map<TopicPartition, Integer> wanted = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
        for (TopicPartitionInfo p : admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS)
                .get(topic).partitions()) {
            List<Integer> replicas = new ArrayList<>(p.replicas().stream().map(Node::id).toList());
            replicas.add(replicas.remove(0));
            TopicPartition tp = new TopicPartition(topic, p.partition());
            moves.put(tp, Optional.of(new NewPartitionReassignment(replicas)));
            wanted.put(tp, replicas.get(0));
        }
        admin.alterPartitionReassignments(moves).all().get(15, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!admin.listPartitionReassignments(moves.keySet()).reassignments().get(15, TimeUnit.SECONDS).isEmpty()) {
            assertThat(System.nanoTime()).as("reassignment done within 15 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        admin.electLeaders(ElectionType.PREFERRED, Set.copyOf(moves.keySet())).all().get(15, TimeUnit.SECONDS);
        return wanted;
    }

    /** One request: its answer as an HTTP status (gRPC's mapped to one) and when it ran. */
    record Answer(int id, boolean grpc, int status, long startNanos, long endNanos) {
        long millis() {
            return Duration.ofNanos(endNanos - startNanos).toMillis();
        }
    }

    /**
     * {@link #SENDERS} clients sending numbered log batches back to back, half over HTTP (seed API), half over
     * gRPC (OTLP), and a probe asking for readiness every 250 ms, from construction to {@link #stop()}.
     */
    static final class Load implements AutoCloseable {
        private final List<Answer> answers = new CopyOnWriteArrayList<>();
        private final List<Integer> readiness = new CopyOnWriteArrayList<>();
        private final List<String> notReady = new CopyOnWriteArrayList<>();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final AtomicInteger next = new AtomicInteger();
        private final ExecutorService clients = Executors.newFixedThreadPool(SENDERS + 1);
        private final List<Future<?>> running = new ArrayList<>();
        private volatile boolean stopping;

        Load(RunningBridge bridge, OtlpGrpcClient grpc) {
            for (int c = 0; c < SENDERS; c++) {
                boolean overGrpc = c % 2 == 1;
                running.add(clients.submit(() -> {
                    while (!stopping) {
                        int id = next.getAndIncrement();
                        long start = System.nanoTime();
                        int status;
                        try {
                            status = overGrpc ? httpEquivalent(grpc.export("logs", NumberedBatches.otlpLogs(id, ITEMS)))
                                    : retryableHttp(bridge.post("/api/v1/logs", "application/json",
                                            NumberedBatches.batch(id, ITEMS)));
                        } catch (RuntimeException e) {
                            // A broken connection is an answer no client can count on: kept, so it fails the test.
                            failures.add("request " + id + ": " + e);
                            status = -1;
                        }
                        answers.add(new Answer(id, overGrpc, status, start, System.nanoTime()));
                    }
                    return null;
                }));
            }
            running.add(clients.submit(() -> {
                while (!stopping) {
                    HttpResponse<String> ready = bridge.send(HttpRequest.newBuilder(
                            bridge.managementUri("/observe/health/ready")).timeout(Duration.ofSeconds(5)).build());
                    readiness.add(ready.statusCode());
                    if (ready.statusCode() != 200) {
                        notReady.add(ready.body());
                    }
                    Thread.sleep(250);
                }
                return null;
            }));
        }

        /** Stops the clients after their current request; a client that failed with an exception fails here. */
        void stop() throws Exception {
            stopping = true;
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
        }

        List<Answer> answers() {
            return answers;
        }

        long count(int status) {
            return answers.stream().filter(a -> a.status() == status).count();
        }

        long inFlightAt(long nanos) {
            return answers.stream().filter(a -> a.startNanos() < nanos && a.endNanos() > nanos).count();
        }

        List<Answer> startedAfter(long nanos) {
            return answers.stream().filter(a -> a.startNanos() > nanos).toList();
        }

        void assertRetryableWithinBound() {
            assertThat(answers.stream().filter(a -> !a.grpc())).as("HTTP requests").isNotEmpty();
            assertThat(answers.stream().filter(Answer::grpc)).as("gRPC calls").isNotEmpty();
            assertThat(failures).as("requests without an answer").isEmpty();
            assertThat(answers).as("every answer is 200, or 503/429 with Retry-After (gRPC: OK, or UNAVAILABLE/"
                    + "RESOURCE_EXHAUSTED with a retry delay)")
                    .allSatisfy(a -> assertThat(a.status()).as("request " + a.id()).isIn(200, 503, 429));
            assertThat(answers).as("answers within %d ms", BOUND_MS)
                    .allSatisfy(a -> assertThat(a.millis()).as("request " + a.id()).isLessThan(BOUND_MS));
            assertThat(readiness).as("readiness probes").hasSizeGreaterThan(10);
            assertThat(notReady).as("readiness answers other than 200 (2 of 3 replicas take writes)").isEmpty();
        }

        void assertAcknowledgedExactlyOnce(Map<Integer, Integer> copies) {
            assertThat(count(200)).as("acknowledged requests").isPositive();
            assertThat(answers).allSatisfy(a -> {
                if (a.status() == 200) {
                    assertThat(copies.getOrDefault(a.id(), 0)).as("records of acknowledged request " + a.id())
                            .isEqualTo(ITEMS);
                } else {
                    assertThat(copies.getOrDefault(a.id(), 0)).as("records of refused request " + a.id())
                            .isLessThanOrEqualTo(ITEMS);
                }
            });
            Set<Integer> sent = answers.stream().map(Answer::id).collect(Collectors.toSet());
            assertThat(copies.keySet()).as("request numbers on Kafka").isSubsetOf(sent);
        }

        void report(String what, Map<Integer, Integer> copies) {
            Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(Answer::status,
                    TreeMap::new, Collectors.counting()));
            long acked = count(200);
            long ackedComplete = answers.stream().filter(a -> a.status() == 200
                    && copies.getOrDefault(a.id(), 0) == ITEMS).count();
            long duplicates = answers.stream().mapToLong(a -> Math.max(0, copies.getOrDefault(a.id(), 0) - ITEMS))
                    .sum();
            List<Integer> refusedButStored = answers.stream().filter(a -> a.status() != 200
                    && copies.getOrDefault(a.id(), 0) > 0).map(a -> copies.get(a.id())).toList();
            System.out.printf("cluster fault: %s: %d requests (%d over gRPC), answers by status %s, acknowledged %d,"
                    + " acknowledged with all %d records on Kafka %d, records on Kafka %d, duplicate records %d,"
                    + " refused requests with records on Kafka %d (their record counts %s), slowest answer %d ms,"
                    + " readiness probes %d (not 200: %d)%n", what, answers.size(),
                    answers.stream().filter(Answer::grpc).count(), byStatus, acked, ITEMS, ackedComplete,
                    copies.values().stream().mapToInt(Integer::intValue).sum(), duplicates, refusedButStored.size(),
                    refusedButStored, answers.stream().mapToLong(Answer::millis).max().orElse(-1), readiness.size(),
                    notReady.size());
            notReady.stream().limit(3).forEach(body -> System.out.println("  not ready: " + body));
            failures.stream().limit(3).forEach(f -> System.out.println("  no answer: " + f));
        }

        @Override
        public void close() throws Exception {
            stopping = true;
            clients.shutdownNow();
            clients.awaitTermination(30, TimeUnit.SECONDS);
        }

        /** An HTTP answer as the test counts it: 503/429 only with a Retry-After, else kept distinct. */
        private static int retryableHttp(HttpResponse<String> answer) {
            int s = answer.statusCode();
            boolean retryAfter = answer.headers().firstValue("Retry-After").isPresent();
            return (s == 503 || s == 429) && !retryAfter ? 2000 + s : s;
        }

        /** A gRPC answer as the HTTP status the test counts; a status no client should retry is kept distinct. */
        private static int httpEquivalent(OtlpGrpcClient.Answer answer) {
            return switch (answer.code()) {
                case OK -> 200;
                case UNAVAILABLE -> answer.retryDelaySeconds() > 0 ? 503 : 1000 + answer.code().value();
                case RESOURCE_EXHAUSTED -> answer.retryDelaySeconds() > 0 ? 429 : 1000 + answer.code().value();
                default -> 1000 + answer.code().value();
            };
        }
    }
}
