package io.telemetrybridge.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrybridge.codec.SeedJson;
import io.telemetrybridge.codec.SeedReader;
import io.telemetrybridge.deadletter.DeadLetters;
import io.telemetrybridge.error.HttpErrorPages;
import io.telemetrybridge.error.HttpErrors;
import io.telemetrybridge.error.OtlpErrors;
import io.telemetrybridge.grpc.GrpcReadinessCheck;
import io.telemetrybridge.grpc.OtlpGrpcComponent;
import io.telemetrybridge.grpc.OtlpGrpcServer;
import io.telemetrybridge.http.BearerTokens;
import io.telemetrybridge.http.InFlightBound;
import io.telemetrybridge.http.RouteAvailability;
import io.telemetrybridge.ingest.FileIngest;
import io.telemetrybridge.ingest.Heartbeat;
import io.telemetrybridge.ingest.HttpIngest;
import io.telemetrybridge.ingest.InboxLocks;
import io.telemetrybridge.ingest.OtlpIngest;
import io.telemetrybridge.ingest.QuietFileFilter;
import io.telemetrybridge.ingest.TelemetryRecords;
import io.telemetrybridge.kafka.ClusterInfo;
import io.telemetrybridge.kafka.ConsumerPool;
import io.telemetrybridge.kafka.EmbeddedKafkaBroker;
import io.telemetrybridge.kafka.SharedProducers;
import io.telemetrybridge.kafka.TopicInitializer;
import io.telemetrybridge.observe.BridgeMeters;
import io.telemetrybridge.observe.BridgeStats;
import io.telemetrybridge.observe.OperateApi;
import io.telemetrybridge.observe.RouteReloadCheck;
import io.telemetrybridge.observe.KafkaReadinessCheck;
import io.telemetrybridge.otlp.OtlpRequests;
import io.telemetrybridge.query.PoisonRecords;
import io.telemetrybridge.query.QueryHttp;
import io.telemetrybridge.query.QueryParser;
import io.telemetrybridge.query.QueryService;
import io.telemetrybridge.query.QuerySettings;
import io.telemetrybridge.query.RecordDecoder;
import io.telemetrybridge.query.TraceIndex;
import io.telemetrybridge.model.Signal;
import java.util.concurrent.ExecutorService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the bridge before its routes start: validates {@link BridgeSettings}, starts the embedded Kafka
 * broker when no cluster is configured, points camel-kafka at the cluster, creates missing topics, and binds
 * the beans the YAML routes call ({@code httpIngest}, {@code otlpIngest}, {@code fileIngest}, {@code heartbeat},
 * {@code bridgeMeters}, {@code httpErrors}, {@code otlpErrors}, {@code seedJson}, {@code queryHttp}).
 */
public final class BridgeConfiguration implements CamelConfiguration, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeConfiguration.class);
    private static final long TOPIC_RETRY_SECONDS = 30;

    private volatile EmbeddedKafkaBroker broker;
    private String bootstrap;
    private io.telemetrybridge.kafka.KafkaSecurity security;
    /** Differences between existing topics and their settings, found at start-up (readiness detail). */
    private volatile java.util.List<String> topicDrift = java.util.List.of();
    /** Each topic's max.message.bytes as the cluster reported it at start-up. */
    private volatile Map<String, Integer> topicMaxMessageBytes = Map.of();

    @Override
    public void configure(CamelContext context) throws Exception {
        BridgeSettings settings = BridgeSettings.from(context.getPropertiesComponent());
        String bootstrap = settings.bootstrapServers();
        if (settings.embedded()) {
            broker = new EmbeddedKafkaBroker(settings.embeddedDataDir(), settings.embeddedPort(),
                    settings.embeddedControllerPort());
            broker.start();
            // As a context service it is stopped after the routes, so in-flight records still reach it.
            context.addService(broker, true, false);
            bootstrap = broker.bootstrapServers();
            LOG.info("No Kafka cluster configured: started the embedded Kafka broker on {} (data in {}). "
                    + "Set bridge.kafka.bootstrap-servers (or BRIDGE_KAFKA_BOOTSTRAP_SERVERS) to use your own.",
                    bootstrap, settings.embeddedDataDir());
        } else {
            LOG.info("Using the Kafka cluster at {} over {}", bootstrap, settings.kafkaSecurity().describe());
        }
        settings.kafkaSecurity().warnings().forEach(LOG::warn);
        this.bootstrap = bootstrap;
        this.security = settings.kafkaSecurity();
        KafkaComponent kafka = context.getComponent("kafka", KafkaComponent.class);
        kafka.getConfiguration().setBrokers(bootstrap);
        // Set here rather than as camel.component.kafka.* properties: Camel's start-up summary does not print
        // them, and the same settings go to every other client below.
        if (kafka.getConfiguration().getAdditionalProperties() == null) {
            kafka.getConfiguration().setAdditionalProperties(new java.util.HashMap<>());
        }
        kafka.getConfiguration().getAdditionalProperties().putAll(security.clientProperties());
        BridgeMeters meters = new BridgeMeters(context);
        SharedProducers producers = new SharedProducers(meters::registry);
        kafka.setKafkaClientFactory(producers.factory());
        // Added after the broker, so stopped before it: pending records are flushed while it still runs.
        context.addService(producers, true, false);
        createTopics(context, settings);
        bindBeans(context, settings, meters);
        bindQueries(context, settings, meters);
        watchKafka(context, settings);
        InFlightBound inFlight = new InFlightBound(settings.maxInFlightRequests());
        RouteAvailability availability = new RouteAvailability(context);
        context.getManagementStrategy().addEventNotifier(availability);
        context.addStartupListener(new HttpErrorPages(inFlight, settings.retryAfterSeconds(), settings.httpAccess(),
                availability));
        serveGrpc(context, settings, inFlight, meters, availability);
        if (settings.https() != null) {
            // Added after the error pages, so its requests meet the router with all their handlers in place.
            context.addStartupListener(settings.https());
        }
        if (settings.httpAccess().readTokens().isEmpty()) {
            LOG.warn("The read endpoints (queries, trace lookups, stats, cluster, topics) are open to anyone who can "
                    + "reach port {}: set bridge.http.auth.read.token (README, Security)", context
                    .getPropertiesComponent().resolveProperty("camel.server.port").orElse("4318"));
        }
        if (settings.httpAccess().ingestTokens().isEmpty()) {
            LOG.warn("The ingestion endpoints are open to anyone who can reach port {}: set "
                    + "bridge.http.auth.ingest.token (README, Security)", context.getPropertiesComponent()
                    .resolveProperty("camel.server.port").orElse("4318"));
        }
        guardRouteReload(context);
        // The registry the gauges go to exists once the context has started.
        java.nio.file.Path inbox = java.nio.file.Path.of(context.getPropertiesComponent()
                .resolveProperty("bridge.file.inbox").orElse("inbox").trim());
        InboxLocks locks = context.getRegistry().lookupByNameAndType("inboxLocks", InboxLocks.class);
        Runnable sweep = () -> {
            for (Signal s : Signal.values()) {
                locks.sweep(inbox.resolve(s.id()));
            }
        };
        sweep.run();
        // Renews this bridge's read locks, and frees the files of a bridge that died while reading them.
        context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "inbox-locks")
                .scheduleWithFixedDelay(sweep, 5, 5, TimeUnit.SECONDS);
        whenFullyStarted(context, ctx -> {
            for (Signal s : Signal.values()) {
                meters.fileBacklog(s, inbox.resolve(s.id()));
            }
        });
    }

    /** Stops the embedded broker if this configuration started one; safe to call more than once. */
    @Override
    public void close() {
        EmbeddedKafkaBroker b = broker;
        if (b != null) {
            b.stop();
        }
    }

    private void bindBeans(CamelContext context, BridgeSettings settings, BridgeMeters meters) {
        ObjectMapper mapper = SeedJson.newMapper();
        SeedReader reader = new SeedReader(mapper);
        KafkaComponent kafka = context.getComponent("kafka", KafkaComponent.class);
        TelemetryRecords records = new TelemetryRecords(context, mapper.writer(), signal -> Math.min(Math.min(
                orDefault(kafka.getConfiguration().getMaxRequestSize(), 1_048_576),
                orDefault(kafka.getConfiguration().getBufferMemorySize(), 33_554_432)),
                topicMaxMessageBytes.getOrDefault(settings.topics().get(signal), Integer.MAX_VALUE)));
        Registry registry = context.getRegistry();
        registry.bind("seedJson", mapper);
        registry.bind("bridgeMeters", meters);
        registry.bind("retryCounter", (org.apache.camel.Processor) meters::retried);
        DeadLetters deadLetters = new DeadLetters(context, meters, settings.dlqMaxPayloadBytes(), settings.dlqFolder());
        registry.bind("deadLetters", deadLetters);
        registry.bind("httpIngest", new HttpIngest(reader, records, meters, mapper, settings.maxDecompressedBytes()));
        InboxLocks locks = new InboxLocks(settings.file().orphanLockMs());
        registry.bind("inboxLocks", locks);
        registry.bind("fileIngest", new FileIngest(reader, records, meters, deadLetters, settings.file(), locks));
        registry.bind("quietFiles", new QuietFileFilter(Long.parseLong(context.getPropertiesComponent()
                .resolveProperty("bridge.file.quiet-period-ms").orElse("1000").trim())));
        registry.bind("heartbeat", new Heartbeat(records, meters));
        registry.bind("httpErrors", new HttpErrors(mapper, settings.retryAfterSeconds(), deadLetters, meters));
        registry.bind("otlpIngest", new OtlpIngest(new OtlpRequests(settings.otlpMaxJsonDepth(),
                settings.maxDecompressedBytes()), settings.otlpEncodings(), records, meters, deadLetters));
        registry.bind("otlpErrors", new OtlpErrors(settings.retryAfterSeconds(), deadLetters, meters));
    }

    /**
     * Adds the OTLP/gRPC server as a context service (after the producers, so stopped before them) and the
     * {@code otlp-grpc} component its routes start from; registers readiness check {@code grpc} when it is on.
     */
    private void serveGrpc(CamelContext context, BridgeSettings settings, InFlightBound inFlight, BridgeMeters meters,
            RouteAvailability availability) throws Exception {
        List<String> tokens = settings.httpAccess().ingestTokens();
        OtlpGrpcServer grpc = new OtlpGrpcServer(context, settings.grpc(), inFlight,
                tokens.isEmpty() ? null : new BearerTokens(tokens, "ingest"), settings.retryAfterSeconds(), meters,
                context.getRegistry().lookupByNameAndType("deadLetters", DeadLetters.class), availability::stopping);
        context.addComponent(OtlpGrpcComponent.SCHEME, new OtlpGrpcComponent(grpc));
        context.addService(grpc, true, false);
        if (settings.grpc().enabled()) {
            GrpcReadinessCheck check = new GrpcReadinessCheck(grpc);
            check.setCamelContext(context);
            register(context, check, () -> { });
        }
    }

    /** Binds {@code queryHttp}: the query side, with its consumer pool and reader threads (closed on stop). */
    private void bindQueries(CamelContext context, BridgeSettings settings, BridgeMeters meters)
            throws Exception {
        QuerySettings q = settings.query();
        ObjectMapper mapper = SeedJson.newMapper();
        ConsumerPool pool = new ConsumerPool(client("telemetry-bridge-query"),
                q.maxConcurrent() * q.parallelism(), meters::registry);
        ExecutorService readers = context.getExecutorServiceManager().newFixedThreadPool(this, "query-reader",
                q.maxConcurrent() * q.parallelism());
        RecordDecoder decoder = new RecordDecoder(mapper, new OtlpRequests(Integer.MAX_VALUE, Long.MAX_VALUE));
        DeadLetters deadLetters = context.getRegistry().lookupByNameAndType("deadLetters", DeadLetters.class);
        TraceIndex traceIndex = null;
        if (q.traceIndexMaxSpans() > 0) {
            traceIndex = new TraceIndex(() -> pool.dedicated("telemetry-bridge-trace-index"),
                    settings.topics().get(Signal.TRACES), q.traceIndexMaxSpans());
            traceIndex.start();
        }
        QueryService service = new QueryService(pool, settings.topics(), q, mapper, decoder,
                new PoisonRecords(deadLetters), readers, traceIndex, meters);
        context.getRegistry().bind("queryHttp", new QueryHttp(new QueryParser(mapper, q.limits()), service, mapper,
                q.limits().maxLimit()));
        ClusterInfo cluster = new ClusterInfo(client("telemetry-bridge-operate"), Duration.ofSeconds(5));
        context.getRegistry().bind("operateApi", new OperateApi(new BridgeStats(meters), cluster,
                settings.allTopics(), mapper));
        context.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() {
                service.close();
                pool.close();
                cluster.close();
            }
        }, true, false);
    }

    /** With live route reload on, registers {@code routes-reload}: it puts back routes a failed edit removed. */
    private void guardRouteReload(CamelContext context) throws Exception {
        var properties = context.getPropertiesComponent();
        boolean enabled = properties.resolveProperty("camel.main.routes-reload-enabled")
                .or(() -> properties.resolveProperty("camel.main.routesReloadEnabled")).orElse("false").trim()
                .equals("true");
        if (!enabled) {
            return;
        }
        String directory = properties.resolveProperty("camel.main.routesReloadDirectory")
                .or(() -> properties.resolveProperty("camel.main.routes-reload-directory")).orElse("src/main/resources")
                .trim();
        RouteReloadCheck check = new RouteReloadCheck(context, java.nio.file.Path.of(directory));
        check.setCamelContext(context);
        whenFullyStarted(context, ctx -> check.start(
                ctx.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "routes-reload")));
        register(context, check, check);
    }

    /** Registers the {@code kafka} readiness check, fed by a background describe-cluster every 5 s. */
    private void watchKafka(CamelContext context, BridgeSettings settings) throws Exception {
        KafkaReadinessCheck check = new KafkaReadinessCheck(client("telemetry-bridge-health"), settings.allTopics(),
                Duration.ofSeconds(3), () -> topicDrift);
        check.setCamelContext(context);
        check.start(context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "kafka-health"),
                Duration.ofSeconds(5));
        register(context, check, check);
    }

    /** Runs {@code action} once every route has started (camel-micrometer's registry is bound by then). */
    private static void whenFullyStarted(CamelContext context, java.util.function.Consumer<CamelContext> action)
            throws Exception {
        context.addStartupListener(new org.apache.camel.StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // not every route has started yet
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                action.accept(ctx);
            }
        });
    }

    /** Registers {@code check} with the health registry once started, and closes it when the context stops. */
    private static void register(CamelContext context, org.apache.camel.health.HealthCheck check,
            AutoCloseable closer) throws Exception {
        whenFullyStarted(context, ctx -> {
            HealthCheckRegistry registry = HealthCheckRegistry.get(ctx);
            if (registry != null) {
                registry.register(check);
            }
        });
        context.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                closer.close();
            }
        }, true, false);
    }

    /**
     * Settings of a consumer or admin client: the cluster's address, {@code clientId}, and the same security
     * settings as the producer.
     */
    private Map<String, Object> client(String clientId) {
        Map<String, Object> config = new java.util.HashMap<>(security.clientProperties());
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return Map.copyOf(config);
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }

    /**
     * Creates missing topics before the routes start. If the cluster does not answer in time the bridge still
     * starts (requests then get 503) and keeps trying in the background.
     */
    private void createTopics(CamelContext context, BridgeSettings settings) {
        TopicInitializer topics = new TopicInitializer(client("telemetry-bridge-admin"), settings.adminTimeoutMs());
        Runnable attempt = () -> {
            TopicInitializer.Report report = topics.reconcile(settings.topicSpecs(), settings.increasePartitions());
            topicDrift = report.drift();
            topicMaxMessageBytes = report.maxMessageBytes();
        };
        try {
            attempt.run();
        } catch (TopicInitializer.KafkaSetupException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.InvalidConfigurationException
                    || e.getCause() instanceof org.apache.kafka.common.errors.InvalidReplicationFactorException
                    || e.getCause() instanceof org.apache.kafka.common.errors.InvalidPartitionsException) {
                // Retrying cannot help: the settings themselves are refused.
                throw new IllegalArgumentException("invalid configuration: bridge.topics.*: " + e.getMessage(), e);
            }
            if (io.telemetrybridge.kafka.KafkaErrors.securityProblem(e.getCause()) != null) {
                LOG.error("Could not check or create topics {}: {}. Retrying every {} s.", settings.allTopics(),
                        e.getMessage(), TOPIC_RETRY_SECONDS);
            } else {
                LOG.warn("Could not check or create topics {}: {}. Retrying every {} s.", settings.allTopics(),
                        e.getMessage(), TOPIC_RETRY_SECONDS);
            }
            ScheduledExecutorService retry = context.getExecutorServiceManager()
                    .newSingleThreadScheduledExecutor(this, "topic-setup");
            retry.scheduleWithFixedDelay(() -> {
                try {
                    attempt.run();
                    retry.shutdown();
                } catch (RuntimeException again) {
                    LOG.warn("Still cannot create topics: {}", again.getMessage());
                }
            }, TOPIC_RETRY_SECONDS, TOPIC_RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }
}
