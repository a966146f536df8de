package io.telemetrybridge.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the bridge's topics when they are missing, through the Kafka AdminClient, with their configured
 * partitions, replication factor and topic configs, and reports existing topics that differ from them. Existing
 * topics are never deleted, shrunk or reconfigured; partitions are added only when asked.
 */
public final class TopicInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicInitializer.class);

    private final Map<String, Object> adminConfig;
    private final long timeoutMs;

    /**
     * @param adminConfig Kafka client settings (at least {@code bootstrap.servers})
     * @param timeoutMs   bound on the whole operation, in milliseconds
     */
    public TopicInitializer(Map<String, Object> adminConfig, long timeoutMs) {
        this.adminConfig = adminConfig;
        this.timeoutMs = timeoutMs;
    }

    /** What {@link #reconcile} did and found: topics created, partitions added, differences left alone. */
    public record Report(List<String> created, List<String> increased, List<String> drift,
            Map<String, Integer> maxMessageBytes) {}

    /**
     * Creates each missing topic with its settings; compares each existing one with them. An existing topic is
     * never deleted, shrunk or reconfigured: a difference is reported, except that partitions are added when
     * {@code increasePartitions} is set.
     *
     * @throws KafkaSetupException if the cluster does not answer within the timeout or refuses a creation
     */
    public Report reconcile(Collection<TopicSpec> topics, boolean increasePartitions) {
        Map<String, Object> config = new HashMap<>(adminConfig);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            List<TopicSpec> present = new ArrayList<>();
            for (TopicSpec t : topics) {
                if (existing.contains(t.name())) {
                    present.add(t);
                } else {
                    missing.add(new NewTopic(t.name(), t.partitions(), t.replicationFactor()).configs(t.configs()));
                }
            }
            List<String> created = new ArrayList<>();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeoutMs, TimeUnit.MILLISECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaSetupException("could not create topic " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            for (NewTopic t : missing) {
                if (created.contains(t.name())) {
                    LOG.info("Created topic {} ({} partitions, replication factor {}, configs {})", t.name(),
                            t.numPartitions(), t.replicationFactor(), t.configs());
                }
            }
            Report compared = compare(admin, present, increasePartitions, created);
            Report report = new Report(compared.created(), compared.increased(), compared.drift(),
                    maxMessageBytes(admin, topics));
            report.drift().forEach(d -> LOG.warn("Topic differs from its settings: {}", d));
            return report;
        } catch (TimeoutException e) {
            throw new KafkaSetupException("Kafka at " + adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + " did not answer within " + timeoutMs + " ms", e);
        } catch (ExecutionException e) {
            String security = KafkaErrors.securityProblem(e.getCause());
            throw new KafkaSetupException("Kafka at " + adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + (security != null ? " refused the bridge: " + security
                    : " could not describe topics: " + e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSetupException("interrupted while creating topics", e);
        }
    }

    /** Each topic's {@code max.message.bytes}: the broker refuses a record batch larger than it. */
    private Map<String, Integer> maxMessageBytes(Admin admin, Collection<TopicSpec> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<ConfigResource, Config> configs;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                configs = admin.describeConfigs(topics.stream()
                        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList())
                        .all().get(timeoutMs, TimeUnit.MILLISECONDS);
                break;
            } catch (ExecutionException e) {
                // A topic created a moment ago can be unknown to the broker answering until its metadata catches up.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        Map<String, Integer> out = new HashMap<>();
        configs.forEach((resource, config) -> {
            ConfigEntry e = config.get("max.message.bytes");
            if (e != null && e.value() != null) {
                out.put(resource.name(), Integer.parseInt(e.value()));
            }
        });
        return out;
    }

    private Report compare(Admin admin, List<TopicSpec> topics, boolean increasePartitions, List<String> created)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> increased = new ArrayList<>();
        List<String> drift = new ArrayList<>();
        if (topics.isEmpty()) {
            return new Report(created, increased, drift, Map.of());
        }
        Map<String, TopicDescription> described = admin.describeTopics(topics.stream().map(TopicSpec::name).toList())
                .allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList())
                .all().get(timeoutMs, TimeUnit.MILLISECONDS);
        for (TopicSpec t : topics) {
            TopicDescription d = described.get(t.name());
            int partitions = d.partitions().size();
            if (partitions < t.partitions() && increasePartitions) {
                admin.createPartitions(Map.of(t.name(), NewPartitions.increaseTo(t.partitions())))
                        .all().get(timeoutMs, TimeUnit.MILLISECONDS);
                LOG.info("Increased the partitions of {} from {} to {}", t.name(), partitions, t.partitions());
                increased.add(t.name());
            } else if (partitions < t.partitions()) {
                drift.add(t.name() + " has " + partitions + " partitions, configured " + t.partitions()
                        + " (set bridge.topics.increase-partitions=true to add them)");
            } else if (partitions > t.partitions()) {
                drift.add(t.name() + " has " + partitions + " partitions, configured " + t.partitions()
                        + " (the bridge never removes partitions)");
            }
            int replicas = d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
            if (replicas != t.replicationFactor()) {
                drift.add(t.name() + " has replication factor " + replicas + ", configured " + t.replicationFactor());
            }
            Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t.name()));
            t.configs().forEach((key, wanted) -> {
                ConfigEntry entry = actual == null ? null : actual.get(key);
                String value = entry == null ? null : entry.value();
                if (!wanted.equals(value)) {
                    drift.add(t.name() + ": " + key + " is " + value + ", configured " + wanted);
                }
            });
        }
        return new Report(created, increased, drift, Map.of());
    }

    /** The cluster could not be reached or refused to set up topics. */
    public static final class KafkaSetupException extends RuntimeException {
        public KafkaSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
