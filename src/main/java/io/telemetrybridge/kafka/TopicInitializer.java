package io.telemetrybridge.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the bridge's topics when they are missing, through the Kafka AdminClient, with the configured
 * partition count and replication factor. Existing topics are left as they are (never altered or deleted).
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

    /**
     * Creates each missing topic of {@code topics}.
     *
     * @return the names of the topics created now
     * @throws KafkaSetupException if the cluster does not answer within the timeout or refuses a creation
     */
    public List<String> createMissing(Collection<String> topics, int partitions, short replicationFactor) {
        Map<String, Object> config = new java.util.HashMap<>(adminConfig);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        try (Admin admin = Admin.create(config)) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, partitions, replicationFactor));
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
            if (!created.isEmpty()) {
                LOG.info("Created topics {} ({} partitions, replication factor {})", created, partitions,
                        replicationFactor);
            }
            return created;
        } catch (TimeoutException e) {
            throw new KafkaSetupException("Kafka at " + adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + " did not answer within " + timeoutMs + " ms", e);
        } catch (ExecutionException e) {
            throw new KafkaSetupException("Kafka at " + adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + " could not list topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSetupException("interrupted while creating topics", e);
        }
    }

    /** The cluster could not be reached or refused to set up topics. */
    public static final class KafkaSetupException extends RuntimeException {
        public KafkaSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
