package io.telemetrybridge.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.telemetrybridge.model.ExchangeProperties;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.Source;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * The bridge's own meters, all named {@code telemetry.bridge.*} (Prometheus: {@code telemetry_bridge_*}),
 * registered in the registry camel-micrometer serves on {@code /observe/metrics}; listed in docs/operations.md.
 * <ul>
 *   <li>{@code telemetry.bridge.records.accepted{signal,source}}: records Kafka acknowledged;</li>
 *   <li>{@code telemetry.bridge.records.rejected{signal,source}}: items refused as invalid input;</li>
 *   <li>{@code telemetry.bridge.records.dead_lettered{signal,source,target}}: dead letters written, to the
 *       dead-letter topic ({@code target="kafka"}) or, when it cannot be written, the local folder
 *       ({@code target="folder"});</li>
 *   <li>{@code telemetry.bridge.records.dropped{signal,source}}: records of the bridge's own timer sources that
 *       Kafka could not take (they are not kept: the next tick carries fresh values);</li>
 *   <li>{@code telemetry.bridge.records.retried{signal,source}}: records sent again after a transient failure
 *       (Kafka unavailable, timeouts), by the file and timer routes' bounded redelivery;</li>
 *   <li>{@code telemetry.bridge.publish.latency{signal,source}}: time from receiving a request, file or tick to
 *       Kafka's acknowledgement of all its records (a histogram, seconds in Prometheus);</li>
 *   <li>{@code telemetry.bridge.request.bytes{signal,source}}: size of HTTP request bodies and gRPC messages as
 *       received;</li>
 *   <li>{@code telemetry.bridge.requests.unavailable{signal,source}}: ingestion requests answered 503 /
 *       {@code UNAVAILABLE} because Kafka did not take their records in time (the client retries them);</li>
 *   <li>{@code telemetry.bridge.grpc.requests{signal,status}}: OTLP/gRPC calls answered, by gRPC status code
 *       ({@code OK}, {@code INVALID_ARGUMENT}, {@code UNAVAILABLE}, {@code RESOURCE_EXHAUSTED},
 *       {@code UNAUTHENTICATED}, {@code INTERNAL}; {@code CANCELLED} when the client's deadline passed first);</li>
 *   <li>{@code telemetry.bridge.query.duration{signal,status}}: time to answer a query ({@code status}: the
 *       result's {@code Success}, {@code Partial}, {@code Timeout}, or {@code rejected} for 429/503);</li>
 *   <li>{@code telemetry.bridge.query.records.scanned{signal}}: Kafka records read by queries;</li>
 *   <li>{@code telemetry.bridge.query.poison_records{signal}}: records queries skipped as undecodable;</li>
 *   <li>{@code telemetry.bridge.query.fetch{signal}}: time of each Kafka read (consumer poll) a query made;</li>
 *   <li>{@code telemetry.bridge.file.backlog{signal}}: files waiting in the inbox folder of a signal (counted
 *       when scraped);</li>
 *   <li>{@code telemetry.bridge.requests.in_flight}: ingestion requests (HTTP and gRPC) being handled now.</li>
 * </ul>
 */
public final class BridgeMeters {

    public static final String ACCEPTED = "telemetry.bridge.records.accepted";
    public static final String REJECTED = "telemetry.bridge.records.rejected";
    public static final String DEAD_LETTERED = "telemetry.bridge.records.dead_lettered";
    public static final String DROPPED = "telemetry.bridge.records.dropped";
    public static final String RULE_DROPPED = "telemetry.bridge.rule.dropped";
    public static final String RULE_REDACTED = "telemetry.bridge.rule.redacted";
    public static final String TENANT_THROTTLED = "telemetry.bridge.tenant.throttled";
    public static final String SPOOLED = "telemetry.bridge.spool.spooled";
    public static final String REPLAYED = "telemetry.bridge.spool.replayed";
    public static final String SPOOL_RECORDS = "telemetry.bridge.spool.records";
    public static final String SPOOL_BYTES = "telemetry.bridge.spool.bytes";
    public static final String SPOOL_OLDEST = "telemetry.bridge.spool.oldest.age";
    public static final String RETRIED = "telemetry.bridge.records.retried";
    public static final String PUBLISH_LATENCY = "telemetry.bridge.publish.latency";
    public static final String REQUEST_BYTES = "telemetry.bridge.request.bytes";
    public static final String GRPC_REQUESTS = "telemetry.bridge.grpc.requests";
    public static final String UNAVAILABLE = "telemetry.bridge.requests.unavailable";
    public static final String QUERY_DURATION = "telemetry.bridge.query.duration";
    public static final String QUERY_SCANNED = "telemetry.bridge.query.records.scanned";
    public static final String QUERY_POISON = "telemetry.bridge.query.poison_records";
    public static final String QUERY_FETCH = "telemetry.bridge.query.fetch";
    public static final String FILE_BACKLOG = "telemetry.bridge.file.backlog";
    public static final String IN_FLIGHT = "telemetry.bridge.requests.in_flight";
    public static final String IN_FLIGHT_BYTES = "telemetry.bridge.request.bytes.in_flight";

    /** The {@code # HELP} text of each of our meters. */
    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry(ACCEPTED, "Records Kafka acknowledged, by signal and source"),
            Map.entry(REJECTED, "Items refused as invalid input (answered 400 / partial success, or a bad "
                    + "file line)"),
            Map.entry(DEAD_LETTERED, "Dead letters written, to the dead-letter topic (target kafka) or the "
                    + "local folder (target folder)"),
            Map.entry(RULE_DROPPED, "Items (spans, data points, log records) left out by a drop rule of a route"),
            Map.entry(RULE_REDACTED, "Attributes removed or hashed by an attribute rule of a route"),
            Map.entry(TENANT_THROTTLED, "Records of requests refused (429) because their tenant was over its rate"),
            Map.entry(SPOOLED, "Records Kafka did not take in time, kept in the local spool and acknowledged"),
            Map.entry(REPLAYED, "Records the spool's forwarder sent to Kafka and Kafka acknowledged"),
            Map.entry(SPOOL_RECORDS, "Records held in the local spool, waiting for Kafka"),
            Map.entry(SPOOL_BYTES, "Bytes of the local spool's segment files"),
            Map.entry(SPOOL_OLDEST, "Age of the oldest record held in the local spool"),
            Map.entry(DROPPED, "Records of the bridge's own timer sources given up after retries"),
            Map.entry(RETRIED, "Records sent again after a transient Kafka failure (file and timer routes)"),
            Map.entry(PUBLISH_LATENCY, "Time from receiving a request, file chunk or tick to Kafka's "
                    + "acknowledgement of all its records"),
            Map.entry(REQUEST_BYTES, "Size of HTTP request bodies as received (compressed if they were) and of "
                    + "gRPC messages once inflated"),
            Map.entry(GRPC_REQUESTS, "OTLP/gRPC calls answered, by gRPC status code"),
            Map.entry(UNAVAILABLE, "Ingestion requests answered 503 / UNAVAILABLE: Kafka did not take their "
                    + "records in time"),
            Map.entry(QUERY_DURATION, "Time to answer a query, by how it ended"),
            Map.entry(QUERY_SCANNED, "Kafka records read by queries"),
            Map.entry(QUERY_POISON, "Records met by queries that could not be decoded (dead-lettered)"),
            Map.entry(QUERY_FETCH, "Time of one Kafka read (consumer poll) of a query"),
            Map.entry(FILE_BACKLOG, "Files waiting in a signal's inbox folder"),
            Map.entry(IN_FLIGHT, "Ingestion requests (HTTP and gRPC) being handled now; past "
                    + "bridge.http.max-in-flight-requests they are refused with 429 / RESOURCE_EXHAUSTED"),
            Map.entry(IN_FLIGHT_BYTES, "Bytes of the ingestion requests in hand (bodies, decompressed as far as "
                    + "decoded); past bridge.http.max-in-flight-bytes more are refused with 429 / RESOURCE_EXHAUSTED"));

    private final CamelContext context;
    private volatile MeterRegistry registry;

    public BridgeMeters(CamelContext context) {
        this.context = context;
    }

    /**
     * Route step after the Kafka endpoint: counts the exchange's records (properties set by
     * {@code TelemetryRecords}) as acknowledged.
     *
     * @return the number of records counted
     */
    public int published(Exchange exchange) {
        int count = exchange.getProperty(ExchangeProperties.COUNT, 0, Integer.class);
        Signal signal = exchange.getProperty(ExchangeProperties.SIGNAL, Signal.class);
        Source source = exchange.getProperty(ExchangeProperties.SOURCE, Source.class);
        counter(ACCEPTED, signal, source).increment(count);
        Timer.builder(PUBLISH_LATENCY).description(HELP.get(PUBLISH_LATENCY)).tag("signal", signal.id())
                .tag("source", source.id())
                .publishPercentileHistogram().register(registry())
                .record(Duration.ofMillis(Math.max(0, System.currentTimeMillis() - exchange.getClock().getCreated())));
        return count;
    }

    /** Records the size of one HTTP request body, in bytes. */
    public void requestBytes(Signal signal, Source source, long bytes) {
        DistributionSummary.builder(REQUEST_BYTES).description(HELP.get(REQUEST_BYTES)).baseUnit("bytes")
                .tag("signal", signal.id()).tag("source", source.id())
                .register(registry()).record(bytes);
    }

    /** Counts one OTLP/gRPC call answered with {@code status} (a gRPC status code name). */
    public void grpcRequest(Signal signal, String status) {
        Counter.builder(GRPC_REQUESTS).description(HELP.get(GRPC_REQUESTS))
                .tag("signal", signal.id()).tag("status", status).register(registry()).increment();
    }

    /** Counts one ingestion request answered 503 because Kafka did not take its records (signal may be null). */
    public void unavailable(Signal signal, Source source) {
        Counter.builder(UNAVAILABLE).description(HELP.get(UNAVAILABLE))
                .tag("signal", signal == null ? "unknown" : signal.id())
                .tag("source", source.id()).register(registry()).increment();
    }

    /** Counts {@code n} items refused as invalid. */
    public void rejected(Signal signal, Source source, long n) {
        counter(REJECTED, signal, source).increment(n);
    }

    /**
     * Route step on a failed timer exchange: counts its records (properties set by {@code TelemetryRecords}) as
     * dropped.
     */
    public void dropped(Exchange exchange) {
        Signal signal = exchange.getProperty(ExchangeProperties.SIGNAL, Signal.class);
        if (signal != null) {
            counter(DROPPED, signal, exchange.getProperty(ExchangeProperties.SOURCE, Source.class))
                    .increment(exchange.getProperty(ExchangeProperties.COUNT, 0, Integer.class));
        }
    }

    /**
     * Redelivery step ({@code onRedeliveryRef: retryCounter} in the route configurations): counts the exchange's
     * records (properties set by {@code TelemetryRecords}) as retried.
     */
    /** Records of a request of {@code signal} appended to the spool (signal null: unknown). */
    public void spooled(Signal signal, long n) {
        Counter.builder(SPOOLED).description(HELP.get(SPOOLED)).tag("signal", signal == null ? "unknown" : signal.id())
                .register(registry()).increment(n);
    }

    /** Records the spool's forwarder got acknowledged by Kafka. */
    public void replayed(long n) {
        Counter.builder(REPLAYED).description(HELP.get(REPLAYED)).register(registry()).increment(n);
    }

    /**
     * The spool's gauges, read from {@code figures} ({records, bytes, oldest age in seconds}) at each scrape.
     */
    public void spoolGauges(Supplier<long[]> figures) {
        Gauge.builder(SPOOL_RECORDS, () -> figures.get()[0]).description(HELP.get(SPOOL_RECORDS))
                .strongReference(true).register(registry());
        Gauge.builder(SPOOL_BYTES, () -> figures.get()[1]).description(HELP.get(SPOOL_BYTES)).baseUnit("bytes")
                .strongReference(true).register(registry());
        Gauge.builder(SPOOL_OLDEST, () -> figures.get()[2]).description(HELP.get(SPOOL_OLDEST)).baseUnit("seconds")
                .strongReference(true).register(registry());
    }

    /** Records of a request refused because {@code tenant} was over its rate. */
    public void tenantThrottled(String tenant, Signal signal, long n) {
        Counter.builder(TENANT_THROTTLED).description(HELP.get(TENANT_THROTTLED)).tag("tenant", tenant)
                .tag("signal", signal.id()).register(registry()).increment(n);
    }

    /** Items a route's drop rule {@code rule} left out. */
    public void ruleDropped(String rule, Signal signal, long n) {
        Counter.builder(RULE_DROPPED).description(HELP.get(RULE_DROPPED)).tag("rule", rule)
                .tag("signal", signal.id()).register(registry()).increment(n);
    }

    /** Attributes a route's attribute rule {@code rule} removed or hashed. */
    public void ruleRedacted(String rule, Signal signal, long n) {
        Counter.builder(RULE_REDACTED).description(HELP.get(RULE_REDACTED)).tag("rule", rule)
                .tag("signal", signal.id()).register(registry()).increment(n);
    }

    public void retried(Exchange exchange) {
        Signal signal = exchange.getProperty(ExchangeProperties.SIGNAL, Signal.class);
        if (signal != null) {
            counter(RETRIED, signal, exchange.getProperty(ExchangeProperties.SOURCE, Source.class))
                    .increment(exchange.getProperty(ExchangeProperties.COUNT, 0, Integer.class));
        }
    }

    /** Counts one dead letter written to {@code target} ({@code kafka} or {@code folder}). */
    public void deadLettered(Signal signal, Source source, String target) {
        Counter.builder(DEAD_LETTERED).description(HELP.get(DEAD_LETTERED)).tag("signal", signal.id())
                .tag("source", source.id()).tag("target", target)
                .register(registry()).increment();
    }

    /** Records one Kafka read (consumer poll) of a query of {@code signal} that took {@code nanos}. */
    public void fetched(Signal signal, long nanos) {
        Timer.builder(QUERY_FETCH).description(HELP.get(QUERY_FETCH)).tag("signal", signal.id())
                .register(registry()).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Records one query: how it ended, how long it took, what it read. */
    public void queried(Signal signal, String status, long nanos, long scanned, long poison) {
        Timer.builder(QUERY_DURATION).description(HELP.get(QUERY_DURATION)).tag("signal", signal.id()).tag("status", status).publishPercentileHistogram()
                .register(registry()).record(Duration.ofNanos(nanos));
        Counter.builder(QUERY_SCANNED).description(HELP.get(QUERY_SCANNED)).tag("signal", signal.id()).register(registry()).increment(scanned);
        Counter.builder(QUERY_POISON).description(HELP.get(QUERY_POISON)).tag("signal", signal.id()).register(registry()).increment(poison);
    }

    /**
     * Registers the backlog gauge of one signal's inbox folder: {@code waiting} counts the files there that the
     * file route has not taken yet.
     */
    /** Registers the gauge of ingestion requests in hand, over every front door. */
    public void inFlight(Supplier<Number> requests, Supplier<Number> bytes) {
        Gauge.builder(IN_FLIGHT, requests).description(HELP.get(IN_FLIGHT))
                .strongReference(true).register(registry());
        Gauge.builder(IN_FLIGHT_BYTES, bytes).description(HELP.get(IN_FLIGHT_BYTES)).baseUnit("bytes")
                .strongReference(true).register(registry());
    }

    public void fileBacklog(Signal signal, Supplier<Number> waiting) {
        // A strong reference: Micrometer holds gauge objects weakly, and a collected supplier would read NaN.
        Gauge.builder(FILE_BACKLOG, waiting).description(HELP.get(FILE_BACKLOG)).tag("signal", signal.id())
                .baseUnit("files").strongReference(true).register(registry());
    }

    /** Records of {@code signal} acknowledged by Kafka since start, over all sources. */
    public double acceptedTotal(Signal signal) {
        return registry().find(ACCEPTED).tag("signal", signal.id()).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private Counter counter(String name, Signal signal, Source source) {
        return Counter.builder(name).description(HELP.get(name)).tag("signal", signal.id()).tag("source", source.id()).register(registry());
    }

    /** The registry our meters (and the Kafka client meters) are registered in. */
    public MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            // camel-micrometer binds its registry while the context starts, after our beans exist.
            r = context.getRegistry().findSingleByType(MeterRegistry.class);
            registry = r = r != null ? r : new SimpleMeterRegistry();
        }
        return r;
    }
}
