package io.telemetrybridge.observe;

import io.telemetrybridge.kafka.KafkaErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness check {@code kafka} (in {@code /observe/health} and {@code /observe/health/ready}; not a liveness
 * check, since a Kafka outage is not a reason to restart the bridge). DOWN, with the reason in its details,
 * when the cluster does not answer a describe-cluster call within the timeout or when a topic of ours is
 * missing. Topics that differ from their settings are listed in its message and detail {@code topic.drift}
 * (still UP). The cluster is asked in the background every interval, so a probe answers at once even while
 * Kafka is down.
 */
public final class KafkaReadinessCheck extends AbstractHealthCheck implements AutoCloseable {

    private record Observation(boolean up, Map<String, Object> details, String message) {}

    private final Map<String, Object> adminConfig;
    private final Supplier<List<String>> topics;
    private final Duration timeout;
    private final Supplier<List<String>> drift;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaReadinessCheck.class);
    private static final Observation INITIAL = new Observation(false, Map.of(), "not checked yet");
    private volatile Observation last = INITIAL;
    private volatile Admin admin;
    private ScheduledExecutorService scheduler;

    /**
     * @param topics the topics that must exist: the configured ones and those routing rules created since
     * @param drift  differences between existing topics and their settings, shown in the details (still UP)
     */
    public KafkaReadinessCheck(Map<String, Object> adminConfig, Supplier<List<String>> topics, Duration timeout,
            Supplier<List<String>> drift) {
        super("bridge", "kafka");
        this.drift = drift;
        this.adminConfig = adminConfig;
        this.topics = topics;
        this.timeout = timeout;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    /** Starts asking the cluster every {@code interval}, on the given scheduler. */
    public void start(ScheduledExecutorService scheduler, Duration interval) {
        this.scheduler = scheduler;
        scheduler.scheduleWithFixedDelay(this::observe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * With the spool on: readiness stays UP while Kafka is away and the spool takes records, and says since when
     * it spools; a full spool is DOWN.
     *
     * @param state     null while the spool holds nothing, else its {@code spooling.since}, records, bytes, full
     * @param accepting whether the spool takes records now
     */
    public void spool(Supplier<Map<String, Object>> state, java.util.function.BooleanSupplier accepting) {
        this.spoolState = state;
        this.spoolAccepting = accepting;
    }

    private volatile Supplier<Map<String, Object>> spoolState;
    private volatile java.util.function.BooleanSupplier spoolAccepting;

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Observation o = last;
        builder.details(o.details()).message(o.message());
        boolean up = o.up();
        if (spoolState != null) {
            Map<String, Object> s = spoolState.get();
            boolean accepting = spoolAccepting.getAsBoolean();
            String spooling = s == null ? "" : "spooling since " + s.get("spooling.since") + ": "
                    + s.get("spool.records") + " record(s), " + s.get("spool.bytes") + " bytes waiting for Kafka";
            if (s != null) {
                builder.details(s);
            }
            if (!accepting) {
                up = false;
                builder.message("the spool is full (bridge.spool.max-bytes); " + spooling + "; " + o.message());
            } else if (!up) {
                up = true;
                builder.message((s == null ? "requests are spooled while Kafka is away" : spooling) + "; "
                        + o.message());
            } else if (s != null) {
                builder.message(o.message() + "; " + spooling + " (being sent)");
            }
        }
        if (up) {
            builder.up();
        } else {
            builder.down();
        }
    }

    void observe() {
        try {
            Admin a = admin();
            int ms = (int) timeout.toMillis();
            DescribeClusterResult cluster = a.describeCluster(new DescribeClusterOptions().timeoutMs(ms));
            String clusterId = cluster.clusterId().get(ms, TimeUnit.MILLISECONDS);
            int brokers = cluster.nodes().get(ms, TimeUnit.MILLISECONDS).size();
            Set<String> existing = a.listTopics(new ListTopicsOptions().timeoutMs(ms)).names()
                    .get(ms, TimeUnit.MILLISECONDS);
            List<String> missing = new ArrayList<>(topics.get());
            missing.removeAll(existing);
            Map<String, Object> details = new LinkedHashMap<>(Map.of("cluster.id", clusterId,
                    "brokers", brokers, "missing.topics", missing.toString()));
            if (!drift.get().isEmpty()) {
                details.put("topic.drift", String.join("; ", drift.get()));
            }
            String differ = drift.get().isEmpty() ? "" : "; topics differ from their settings: "
                    + String.join("; ", drift.get());
            seen(missing.isEmpty() ? new Observation(true, details, "Kafka cluster " + clusterId + " answers ("
                    + brokers + " broker(s))" + differ) : new Observation(false, details, "topics missing: " + missing));
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            String security = KafkaErrors.securityProblem(cause);
            String detail = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            boolean silent = cause instanceof TimeoutException
                    || cause instanceof org.apache.kafka.common.errors.TimeoutException;
            String why = "Kafka at " + adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + (security != null
                    ? " refused the bridge: " + security
                    : silent ? " did not answer within " + timeout.toMillis() + " ms: " + detail
                    : " failed: " + detail);
            seen(new Observation(false, Map.of("reason", why), why));
        }
    }

    /**
     * Takes {@code now} as the current state, and logs it when it differs from the last one (UP or DOWN): the
     * Kafka clients' own connection warnings are off (log4j2.properties), so this is the one line an operator
     * sees when Kafka goes away or comes back.
     */
    private void seen(Observation now) {
        Observation before = last;
        last = now;
        if (before.up() == now.up() && before != INITIAL) {
            return;
        }
        if (now.up()) {
            LOG.info("Readiness check kafka is UP: {}", now.message());
        } else {
            LOG.warn("Readiness check kafka is DOWN: {}", now.message());
        }
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            a = Admin.create(adminConfig);
            admin = a;
        }
        return a;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        Admin a = admin;
        if (a != null) {
            a.close(Duration.ofSeconds(2));
        }
    }
}
