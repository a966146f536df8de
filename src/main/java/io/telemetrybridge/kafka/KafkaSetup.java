package io.telemetrybridge.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the bridge to Kafka before its routes start: starts the embedded broker when no cluster is configured,
 * points camel-kafka at the cluster with the shared producer and the security settings, and creates missing
 * topics (when the cluster does not answer in time, the bridge still starts, requests get 503, and the topics
 * are tried again every {@value #TOPIC_RETRY_SECONDS} s). Every other client (queries, health, admin) gets its
 * settings from {@link #client}.
 */
public final class KafkaSetup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSetup.class);
    private static final long TOPIC_RETRY_SECONDS = 30;

    private final KafkaSettings settings;
    private final TopicSettings topics;
    private final String bootstrap;
    private final EmbeddedKafkaBroker broker;
    private final RecordSizeLimit sizeLimit;
    private final KafkaConfiguration producer;
    private final ProducedRecords produced;
    /** Differences between existing topics and their settings, found at start-up (readiness detail). */
    private volatile List<String> topicDrift = List.of();

    private KafkaSetup(KafkaSettings settings, TopicSettings topics, String bootstrap, EmbeddedKafkaBroker broker,
            KafkaConfiguration producer, ProducedRecords produced) {
        this.settings = settings;
        this.produced = produced;
        this.topics = topics;
        this.bootstrap = bootstrap;
        this.broker = broker;
        this.sizeLimit = new RecordSizeLimit(producer, topics);
        this.producer = producer;
    }

    /**
     * A producer of its own for the spool ({@code io.telemetrybridge.spool.Spool}): the routes' producer
     * settings (acks, idempotence, compression, security), byte-array keys and values, metadata waits bounded by
     * {@code maxBlockMs}, and the same fail-fast behaviour while the cluster is unreachable.
     */
    public Producer<Object, Object> spoolProducer(long maxBlockMs, LastRecords last) {
        Properties props = producer.createProducerProperties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.putAll(settings.security().clientProperties());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "telemetry-bridge-spool");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlockMs);
        return new FailFastProducer(new KafkaProducer<>(props), last, produced, true);
    }

    /**
     * Does the above on {@code context}: the broker and the producers become context services, stopped after the
     * routes (the producers first, so pending records are flushed while the broker still runs).
     *
     * @param registry    where the producers' meters go (known once the context has started)
     * @param last        the last records of requests, sent without linger when a request is alone
     * @param firstWaitMs how long start-up waits for the first topic check, milliseconds: the admin timeout, or
     *                    with the spool on its Kafka timeout (a restart during an outage answers from the spool
     *                    at once; the topics are checked again every 30 s)
     * @throws IllegalArgumentException when the cluster refuses the topic settings themselves
     */
    public static KafkaSetup start(CamelContext context, KafkaSettings settings, TopicSettings topics,
            Supplier<MeterRegistry> registry, LastRecords last, long firstWaitMs) throws Exception {
        String bootstrap = settings.bootstrapServers();
        EmbeddedKafkaBroker broker = null;
        if (settings.embedded()) {
            broker = new EmbeddedKafkaBroker(settings.embeddedDataDir(), settings.embeddedPort(),
                    settings.embeddedControllerPort());
            broker.start();
            context.addService(broker, true, false);
            bootstrap = broker.bootstrapServers();
            LOG.info("No Kafka cluster configured: started the embedded Kafka broker on {} (data in {}). "
                    + "Set bridge.kafka.bootstrap-servers (or BRIDGE_KAFKA_BOOTSTRAP_SERVERS) to use your own.",
                    bootstrap, settings.embeddedDataDir());
        } else {
            LOG.info("Using the Kafka cluster at {} over {}", bootstrap, settings.security().describe());
        }
        settings.security().warnings().forEach(LOG::warn);
        KafkaComponent kafka = context.getComponent("kafka", KafkaComponent.class);
        kafka.getConfiguration().setBrokers(bootstrap);
        // Set here rather than as camel.component.kafka.* properties: Camel's start-up summary does not print
        // them, and the same settings go to every other client.
        if (kafka.getConfiguration().getAdditionalProperties() == null) {
            kafka.getConfiguration().setAdditionalProperties(new HashMap<>());
        }
        kafka.getConfiguration().getAdditionalProperties().putAll(settings.security().clientProperties());
        ProducedRecords produced = new ProducedRecords();
        SharedProducers producers = new SharedProducers(registry, last, produced);
        kafka.setKafkaClientFactory(producers.factory());
        context.addService(producers, true, false);
        KafkaSetup setup = new KafkaSetup(settings, topics, bootstrap, broker, kafka.getConfiguration(), produced);
        setup.createTopics(context, firstWaitMs);
        return setup;
    }

    /** What every producer of the bridge (the routes' and the spool's) had acknowledged, for watchers. */
    public ProducedRecords produced() {
        return produced;
    }

    /** The record size limit of the topics, shared by every entry path. */
    public RecordSizeLimit sizeLimit() {
        return sizeLimit;
    }

    /** Differences between the existing topics and their settings, as found at start-up. */
    public List<String> topicDrift() {
        return topicDrift;
    }

    /**
     * Settings of a consumer or admin client: the cluster's address, {@code clientId}, and the same security
     * settings as the producer.
     */
    public Map<String, Object> client(String clientId) {
        Map<String, Object> config = new HashMap<>(settings.security().clientProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return Map.copyOf(config);
    }

    /** Stops the embedded broker if one was started; safe to call more than once. */
    @Override
    public void close() {
        if (broker != null) {
            broker.stop();
        }
    }

    private void createTopics(CamelContext context, long firstWaitMs) {
        TopicInitializer initializer = new TopicInitializer(client("telemetry-bridge-admin"), settings.adminTimeoutMs());
        Consumer<TopicInitializer> reconcile = i -> {
            TopicInitializer.Report report = i.reconcile(topics.specs(), topics.increasePartitions());
            topicDrift = report.drift();
            sizeLimit.topicLimits(report.maxMessageBytes());
        };
        Runnable attempt = () -> reconcile.accept(initializer);
        try {
            reconcile.accept(firstWaitMs < settings.adminTimeoutMs()
                    ? new TopicInitializer(client("telemetry-bridge-admin"), firstWaitMs) : initializer);
        } catch (TopicInitializer.KafkaSetupException e) {
            if (e.getCause() instanceof InvalidConfigurationException
                    || e.getCause() instanceof InvalidReplicationFactorException
                    || e.getCause() instanceof InvalidPartitionsException) {
                // Retrying cannot help: the settings themselves are refused.
                throw new IllegalArgumentException("invalid configuration: bridge.topics.*: " + e.getMessage(), e);
            }
            if (KafkaErrors.securityProblem(e.getCause()) != null) {
                LOG.error("Could not check or create topics {}: {}. Retrying every {} s.", topics.all(),
                        e.getMessage(), TOPIC_RETRY_SECONDS);
            } else {
                LOG.warn("Could not check or create topics {}: {}. Retrying every {} s.", topics.all(),
                        e.getMessage(), TOPIC_RETRY_SECONDS);
            }
            ScheduledExecutorService retry = context.getExecutorServiceManager()
                    .newSingleThreadScheduledExecutor(this, "topic-setup");
            retry.scheduleWithFixedDelay(() -> {
                try {
                    attempt.run();
                    retry.shutdown();
                } catch (RuntimeException again) {
                    // Said once above; the kafka readiness check tells the state meanwhile.
                    LOG.debug("Still cannot create topics: {}", again.getMessage());
                }
            }, TOPIC_RETRY_SECONDS, TOPIC_RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }
}
