package io.telemetrybridge.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrybridge.codec.SeedJson;
import io.telemetrybridge.codec.SeedReader;
import io.telemetrybridge.deadletter.DeadLetters;
import io.telemetrybridge.grpc.GrpcReadinessCheck;
import io.telemetrybridge.grpc.OtlpGrpcComponent;
import io.telemetrybridge.grpc.OtlpGrpcServer;
import io.telemetrybridge.http.BearerTokens;
import io.telemetrybridge.http.HttpErrors;
import io.telemetrybridge.http.HttpFrontDoor;
import io.telemetrybridge.http.HttpRoutes;
import io.telemetrybridge.http.InFlightBound;
import io.telemetrybridge.http.OtlpErrors;
import io.telemetrybridge.http.RouteAvailability;
import io.telemetrybridge.http.StoppingRouteAnswers;
import io.telemetrybridge.ingest.FileIngest;
import io.telemetrybridge.ingest.Heartbeat;
import io.telemetrybridge.ingest.HttpIngest;
import io.telemetrybridge.ingest.InboxFiles;
import io.telemetrybridge.ingest.InboxLocks;
import io.telemetrybridge.ingest.OtlpIngest;
import io.telemetrybridge.ingest.QuietFileFilter;
import io.telemetrybridge.ingest.TelemetryRecords;
import io.telemetrybridge.ingest.TenantRates;
import io.telemetrybridge.kafka.ClusterInfo;
import io.telemetrybridge.kafka.ConsumerPool;
import io.telemetrybridge.kafka.KafkaSetup;
import io.telemetrybridge.kafka.RoutedTopics;
import io.telemetrybridge.observe.KafkaReadinessCheck;
import io.telemetrybridge.spool.Spool;
import io.telemetrybridge.spool.SpoolEndpoints;
import io.telemetrybridge.spool.SpoolSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import io.telemetrybridge.kafka.LastRecords;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.observe.BridgeMeters;
import io.telemetrybridge.observe.BridgeStats;
import io.telemetrybridge.observe.HealthChecks;
import io.telemetrybridge.observe.OperateApi;
import io.telemetrybridge.observe.StartingHealth;
import io.telemetrybridge.otlp.OtlpRequests;
import io.telemetrybridge.deadletter.PoisonRecords;
import io.telemetrybridge.query.QueryHttp;
import io.telemetrybridge.query.QueryParser;
import io.telemetrybridge.query.QueryService;
import io.telemetrybridge.query.QuerySettings;
import io.telemetrybridge.query.RecordDecoder;
import io.telemetrybridge.query.TraceIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the bridge before its routes start, from the validated {@link BridgeSettings}: connects Kafka
 * ({@link KafkaSetup}), adds the HTTP and gRPC front doors, registers the health checks, and binds the beans
 * the YAML routes call: {@code httpIngest}, {@code otlpIngest}, {@code fileIngest}, {@code quietFiles},
 * {@code heartbeat}, {@code bridgeMeters}, {@code retryCounter}, {@code deadLetters}, {@code httpErrors},
 * {@code otlpErrors}, {@code queryHttp}, {@code operateApi} (and {@code seedJson}, {@code inboxLocks}).
 */
public final class BridgeConfiguration implements CamelConfiguration, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeConfiguration.class);

    private volatile KafkaSetup kafka;
    /** The local spool (off unless bridge.spool.enabled). */
    private Spool spool;

    @Override
    public void configure(CamelContext context) throws Exception {
        BridgeSettings settings = BridgeSettings.from(context.getPropertiesComponent());
        LOG.info("Settings (application.properties, -D and environment; defaults in docs/configuration.md):\n    {}",
                String.join("\n    ", BridgeSettings.summary(context.getPropertiesComponent())));
        BridgeMeters meters = new BridgeMeters(context);
        InFlightBound inFlight = new InFlightBound(settings.http().maxInFlightRequests(),
                settings.http().maxInFlightBytes());
        LOG.info("Ingestion requests in hand at once (HTTP and gRPC): at most {}, holding at most {} MiB of bodies "
                + "(bridge.http.max-in-flight-requests, bridge.http.max-in-flight-bytes)", inFlight.limit(),
                String.format(java.util.Locale.ROOT, "%.1f", inFlight.maxBytes() / 1048576.0));
        LastRecords last = new LastRecords(inFlight::inUse);
        // Until Camel's servers start, the management port answers liveness on its own: the embedded broker's
        // recovery after a crash, or topic checks against a slow cluster, take seconds.
        // (Camel binds its management server before the context's starting event, so this one closes here.)
        try (StartingHealth starting = settings.http().managementPort() > 0 ? StartingHealth.serve(
                settings.http().managementHost(), settings.http().managementPort(), "connecting to Kafka") : null) {
            kafka = KafkaSetup.start(context, settings.kafka(), settings.topics(), meters::registry, last,
                    settings.spool().enabled() ? settings.spool().kafkaTimeoutMs() : settings.kafka().adminTimeoutMs());
        }
        RoutedTopics routed = new RoutedTopics(kafka.client("telemetry-bridge-routed-topics"), settings.topics(),
                settings.kafka().adminTimeoutMs());
        Supplier<List<String>> topics = () -> {
            List<String> all = new ArrayList<>(settings.topics().all());
            all.addAll(routed.topics());
            return all;
        };
        DeadLetters deadLetters = bindIngestion(context, settings, meters, last, routed, inFlight);
        bindQueries(context, settings, meters, deadLetters, topics);
        KafkaReadinessCheck kafkaCheck = HealthChecks.kafka(context, kafka.client("telemetry-bridge-health"), topics,
                kafka::topicDrift);
        Spool spool = this.spool;
        if (spool.enabled()) {
            kafkaCheck.spool(spool::state, spool::accepting);
        }
        HealthChecks.routeReload(context);
        HttpRoutes routes = new HttpRoutes(context);
        RouteAvailability availability = new RouteAvailability(context, routes);
        context.getManagementStrategy().addEventNotifier(availability);
        context.addRoutePolicyFactory(new StoppingRouteAnswers(settings.http().retryAfterSeconds()));
        HttpFrontDoor frontDoor = new HttpFrontDoor(context, settings.http(), inFlight, availability, routes);
        context.getManagementStrategy().addEventNotifier(frontDoor);
        context.addStartupListener(frontDoor);
        serveGrpc(context, settings, inFlight, meters, deadLetters, availability);
        HealthChecks.whenFullyStarted(context, ctx -> {
            if (spool.enabled()) {
                meters.spoolGauges(spool::figures);
                spool.bindProducerMeters(meters.registry());
            }
            meters.inFlight(inFlight::inUse, inFlight::bytesInUse);
            for (Signal s : Signal.values()) {
                Path folder = settings.file().inbox().resolve(s.id());
                meters.fileBacklog(s, () -> InboxFiles.waiting(folder));
            }
        });
    }

    /** Stops the embedded broker if this configuration started one; safe to call more than once. */
    @Override
    public void close() {
        KafkaSetup k = kafka;
        if (k != null) {
            k.close();
        }
    }

    private DeadLetters bindIngestion(CamelContext context, BridgeSettings settings, BridgeMeters meters,
            LastRecords last, RoutedTopics routed, InFlightBound inFlight) throws Exception {
        ObjectMapper mapper = SeedJson.newMapper();
        SeedReader reader = new SeedReader(mapper);
        TelemetryRecords records = new TelemetryRecords(context, mapper.writer(), kafka.sizeLimit(), last, routed,
                new TenantRates(settings.http().access().tenants().recordsPerSecond()), meters);
        long maxBody = settings.http().maxDecompressedBytes();
        int retryAfter = settings.http().retryAfterSeconds();
        Registry registry = context.getRegistry();
        registry.bind("seedJson", mapper);
        registry.bind("bridgeMeters", meters);
        registry.bind("retryCounter", (Processor) meters::retried);
        DeadLetters deadLetters = new DeadLetters(context, meters, settings.deadLetters().maxPayloadBytes(),
                settings.deadLetters().folder());
        registry.bind("deadLetters", deadLetters);
        registry.bind("httpIngest", new HttpIngest(reader, records, meters, mapper, maxBody, deadLetters,
                inFlight, retryAfter));
        InboxLocks locks = new InboxLocks(settings.file().orphanLockMs());
        locks.keep(settings.file().inbox(),
                context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "inbox-locks"));
        registry.bind("inboxLocks", locks);
        registry.bind("fileIngest", new FileIngest(reader, records, meters, deadLetters, settings.file(), locks,
                context.getExecutorServiceManager().newCachedThreadPool(this, "file-read-ahead")));
        registry.bind("quietFiles", new QuietFileFilter(settings.file().quietPeriodMs()));
        registry.bind("heartbeat", new Heartbeat(records, meters));
        registry.bind("httpErrors", new HttpErrors(retryAfter, meters));
        registry.bind("otlpIngest", new OtlpIngest(new OtlpRequests(settings.otlp().maxJsonDepth(), maxBody),
                settings.otlp().encodings(), records, kafka.sizeLimit(), meters, deadLetters, inFlight,
                retryAfter));
        registry.bind("otlpErrors", new OtlpErrors(retryAfter, meters));
        SpoolSettings spooling = settings.spool();
        spool = new Spool(spooling, spooling.enabled()
                ? kafka.spoolProducer(spooling.kafkaTimeoutMs(), last) : null, meters);
        if (spooling.enabled()) {
            context.getCamelContextExtension().registerEndpointCallback(
                    new SpoolEndpoints(context, spool, settings.topics().dlqTopic()));
            // Stopped after the routes (in-flight requests answered), before the producers and the broker.
            context.addService(spool, true, false);
        }
        return deadLetters;
    }

    /**
     * Adds the OTLP/gRPC server as a context service (after the producers, so stopped before them) and the
     * {@code otlp-grpc} component its routes start from; registers readiness check {@code grpc} when it is on.
     */
    private static void serveGrpc(CamelContext context, BridgeSettings settings, InFlightBound inFlight,
            BridgeMeters meters, DeadLetters deadLetters, RouteAvailability availability) throws Exception {
        List<String> tokens = settings.http().access().ingestTokens();
        OtlpGrpcServer grpc = new OtlpGrpcServer(context, settings.grpc(), inFlight,
                settings.http().access().ingest(), settings.http().retryAfterSeconds(),
                meters, deadLetters, availability::stopping);
        context.addComponent(OtlpGrpcComponent.SCHEME, new OtlpGrpcComponent(grpc));
        context.addService(grpc, true, false);
        if (settings.grpc().enabled()) {
            GrpcReadinessCheck check = new GrpcReadinessCheck(grpc);
            check.setCamelContext(context);
            HealthChecks.register(context, check, () -> { });
        }
    }

    /** Binds {@code queryHttp} and {@code operateApi}: the read side, its consumers and threads (closed on stop). */
    private void bindQueries(CamelContext context, BridgeSettings settings, BridgeMeters meters,
            DeadLetters deadLetters, Supplier<List<String>> topics) throws Exception {
        QuerySettings q = settings.query();
        ObjectMapper mapper = SeedJson.newMapper();
        ConsumerPool pool = new ConsumerPool(kafka.client("telemetry-bridge-query"),
                q.maxConcurrent() * q.parallelism(), meters::registry);
        ExecutorService readers = context.getExecutorServiceManager().newFixedThreadPool(this, "query-reader",
                q.maxConcurrent() * q.parallelism());
        RecordDecoder decoder = new RecordDecoder(mapper, new OtlpRequests(Integer.MAX_VALUE, Long.MAX_VALUE));
        TraceIndex traceIndex = null;
        if (q.traceIndexMaxSpans() > 0) {
            traceIndex = new TraceIndex(() -> pool.keysOnly("telemetry-bridge-trace-index"),
                    settings.topics().topic(Signal.TRACES), q.traceIndexMaxSpans(), kafka.produced());
            traceIndex.start();
        }
        QueryService service = new QueryService(pool, settings.topics().topics(), q, mapper, decoder,
                new PoisonRecords(deadLetters), readers, traceIndex, meters);
        context.getRegistry().bind("queryHttp", new QueryHttp(new QueryParser(mapper, q.limits()), service, mapper,
                q.limits().maxLimit()));
        ClusterInfo cluster = new ClusterInfo(kafka.client("telemetry-bridge-operate"), Duration.ofSeconds(5));
        context.getRegistry().bind("operateApi", new OperateApi(new BridgeStats(meters), cluster,
                topics, mapper));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                service.close();
                pool.close();
                cluster.close();
            }
        }, true, false);
    }
}
