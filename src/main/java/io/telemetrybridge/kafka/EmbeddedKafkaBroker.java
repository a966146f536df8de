package io.telemetrybridge.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker (KRaft, combined broker + controller) running in this JVM, for when no Kafka
 * cluster is configured and for tests. Listens on {@code 127.0.0.1:port} (PLAINTEXT) with its controller on
 * {@code 127.0.0.1:controllerPort}; keeps its log under {@code dataDir}, formatted on first start only, so
 * records survive a restart. Must be the same Kafka version as the clients in this JVM (3.9.1).
 * Stopping is idempotent; as a Camel service it stops after the routes.
 */
public final class EmbeddedKafkaBroker extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private static final String LOCK_FILE = "bridge.lock";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private volatile KafkaRaftServer server;
    private volatile FileLock lock;

    public EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort) {
        this(dataDir, port, controllerPort, Map.of());
    }

    /**
     * @param overrides broker settings over the ones above, e.g. more listeners with SASL or TLS (the PLAINTEXT
     *                  and CONTROLLER listeners must stay, under those names)
     */
    public EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort, Map<String, String> overrides) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort;
        this.overrides = Map.copyOf(overrides);
    }

    /** The address clients use: {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(dataDir);
        lockDataDir();
        KafkaConfig config = new KafkaConfig(brokerProperties(), false);
        formatOnce();
        KafkaRaftServer raft = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            raft.startup();
        } catch (RuntimeException e) {
            raft.shutdown();
            raft.awaitShutdown();
            releaseLock();
            throw new IllegalStateException("embedded Kafka broker could not start on " + bootstrapServers()
                    + " (data in " + dataDir + "): " + e.getMessage(), e);
        }
        server = raft;
    }

    @Override
    protected void doStop() throws InterruptedException {
        KafkaRaftServer raft = server;
        server = null;
        if (raft != null) {
            // A broker that cannot finish its shutdown must not keep the JVM from exiting.
            Thread stopper = new Thread(() -> {
                raft.shutdown();
                raft.awaitShutdown();
            }, "embedded-kafka-stop");
            stopper.setDaemon(true);
            stopper.start();
            stopper.join(STOP_TIMEOUT.toMillis());
            if (stopper.isAlive()) {
                LOG.warn("Embedded Kafka broker on {} did not stop within {} s", bootstrapServers(),
                        STOP_TIMEOUT.toSeconds());
            } else {
                LOG.info("Embedded Kafka broker on {} stopped", bootstrapServers());
            }
        }
        releaseLock();
    }

    /**
     * Two brokers on one data directory corrupt each other (seen: the first one's shutdown then hangs), so a
     * second bridge started in the same folder stops here, before touching anything.
     */
    private void lockDataDir() throws IOException {
        FileChannel channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null;
        }
        if (acquired == null) {
            channel.close();
            throw new IllegalStateException("the embedded Kafka data in " + dataDir + " is in use by another "
                    + "process (is a bridge already running from this folder?)");
        }
        lock = acquired;
    }

    private void releaseLock() {
        FileLock l = lock;
        lock = null;
        if (l != null) {
            try {
                l.release();
                l.channel().close();
            } catch (IOException e) {
                LOG.debug("Could not release {}", dataDir.resolve(LOCK_FILE), e);
            }
        }
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("process.roles", "broker,controller");
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("log.dirs", dataDir.toString());
        p.put("num.partitions", "3");
        // One node: every internal topic can have only one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created by the bridge with their configured partitions, never implicitly.
        p.put("auto.create.topics.enable", "false");
        // After a kill -9 the controller keeps the old broker registration until its session times out (9 s by
        // default) before the restarted broker may serve: with the controller in the same process a short
        // session is safe, and the restart is ready seconds sooner.
        p.put("broker.session.timeout.ms", "3000");
        p.put("broker.heartbeat.interval.ms", "500");
        p.putAll(overrides);
        return p;
    }

    private void formatOnce() throws Exception {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return;
        }
        try (PrintStream quiet = new PrintStream(PrintStream.nullOutputStream())) {
            new Formatter()
                    .setPrintStream(quiet)
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dataDir.toString()))
                    .setMetadataLogDirectory(dataDir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        }
    }
}
