package io.telemetrybridge.support;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka cluster of {@code n} KRaft nodes for tests, each a combined broker + controller in its own child
 * process ({@code kafka.Kafka} from the packaged jar), so that one can be killed with SIGKILL. Node ids are 1..n,
 * all n are voters of the metadata quorum; each keeps its data and its log ({@code node-<id>.log}) under one
 * temporary folder. Cluster defaults: replication factor 3 and {@code min.insync.replicas} 2.
 */
public final class KafkaCluster implements AutoCloseable {

    private final Path dir;
    private final int[] ports;
    private final int[] controllerPorts;
    private final Process[] nodes;

    private KafkaCluster(int n) throws IOException {
        dir = Files.createTempDirectory("kafka-cluster-");
        ports = IntStream.range(0, n).map(i -> KafkaBroker.freePort()).toArray();
        controllerPorts = IntStream.range(0, n).map(i -> KafkaBroker.freePort()).toArray();
        nodes = new Process[n];
    }

    /** Formats and starts {@code n} nodes and returns once all n brokers are registered with the controller. */
    public static KafkaCluster start(int n) throws Exception {
        KafkaCluster cluster = new KafkaCluster(n);
        try {
            String clusterId = Uuid.randomUuid().toString();
            for (int id = 1; id <= n; id++) {
                cluster.format(id, clusterId);
            }
            // All at once: a quorum of three cannot elect a leader before two of them run.
            for (int id = 1; id <= n; id++) {
                cluster.launch(id);
            }
            cluster.awaitBrokers(n, Duration.ofSeconds(90));
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return IntStream.of(ports).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** A new admin client on this cluster; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
    }

    /** Kills node {@code id} with SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits for its end. */
    public void kill(int id) throws InterruptedException {
        Process p = nodes[id - 1];
        p.destroyForcibly();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + id + " did not end within 10 s of SIGKILL");
        }
    }

    public boolean isRunning(int id) {
        return nodes[id - 1] != null && nodes[id - 1].isAlive();
    }

    /** The node's own log, for failure messages and reports. */
    public Path log(int id) {
        return dir.resolve("node-" + id + ".log");
    }

    @Override
    public void close() {
        for (Process p : nodes) {
            if (p != null) {
                p.destroy();
            }
        }
        for (Process p : nodes) {
            try {
                if (p != null && !p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private Path dataDir(int id) {
        return dir.resolve("node-" + id);
    }

    private void format(int id, String clusterId) throws Exception {
        try (PrintStream quiet = new PrintStream(PrintStream.nullOutputStream())) {
            new Formatter().setPrintStream(quiet).setNodeId(id).setClusterId(clusterId)
                    .setDirectories(List.of(dataDir(id).toString())).setMetadataLogDirectory(dataDir(id).toString())
                    .setControllerListenerName("CONTROLLER").setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        }
    }

    private void launch(int id) throws IOException {
        Path config = dir.resolve("node-" + id + ".properties");
        try (Writer w = Files.newBufferedWriter(config)) {
            properties(id).store(w, "node " + id);
        }
        nodes[id - 1] = new ProcessBuilder(BridgeJar.java(), "-Xmx384m", "-cp", BridgeJar.JAR.toString(),
                "kafka.Kafka", config.toString())
                .redirectErrorStream(true).redirectOutput(log(id).toFile()).start();
    }

    private Properties properties(int id) {
        String voters = IntStream.rangeClosed(1, nodes.length)
                .mapToObj(i -> i + "@127.0.0.1:" + controllerPorts[i - 1]).collect(Collectors.joining(","));
        Properties p = new Properties();
        p.put("node.id", String.valueOf(id));
        p.put("process.roles", "broker,controller");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + ports[id - 1] + ",CONTROLLER://127.0.0.1:"
                + controllerPorts[id - 1]);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports[id - 1]);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.quorum.voters", voters);
        p.put("log.dirs", dataDir(id).toString());
        p.put("default.replication.factor", "3");
        p.put("min.insync.replicas", "2");
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private void awaitBrokers(int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                for (int id = 1; id <= n; id++) {
                    if (!nodes[id - 1].isAlive()) {
                        throw new AssertionError("Kafka node " + id + " ended: " + Files.readString(log(id)));
                    }
                }
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == n) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException notYet) {
                    // the brokers are still starting
                }
                if (System.nanoTime() > deadline) {
                    List<String> logs = new ArrayList<>();
                    for (int id = 1; id <= n; id++) {
                        logs.add("node " + id + ": " + tail(log(id)));
                    }
                    throw new AssertionError("not all " + n + " brokers registered within " + timeout.toSeconds()
                            + " s; " + String.join("\n", logs));
                }
                Thread.sleep(250);
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
