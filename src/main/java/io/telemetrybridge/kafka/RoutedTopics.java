package io.telemetrybridge.kafka;

import io.telemetrybridge.model.Signal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics routing templates chose (docs/routing.md, "Topics"): each new one is created with its signal's
 * topic settings ({@code bridge.topics.<signal>.*}) or, under {@code missingTopics: dead-letter}, checked to
 * exist, once; each template may produce at most its {@code maxTopics} distinct topics. The count is kept per
 * template text, so a reloaded route does not start again from zero; it starts from zero at a restart.
 */
public final class RoutedTopics {

    private static final Logger LOG = LoggerFactory.getLogger(RoutedTopics.class);
    /** How long a topic found missing is taken as missing before Kafka is asked again. */
    private static final long MISSING_RECHECK_MS = 10_000;

    private final Map<String, Object> adminConfig;
    private final TopicSettings settings;
    private final long timeoutMs;
    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> byTemplate = new ConcurrentHashMap<>();
    private final Map<String, Long> missingSince = new ConcurrentHashMap<>();
    /** Topics Kafka refused to create, with why. */
    private final Map<String, String> invalid = new ConcurrentHashMap<>();

    /**
     * @param adminConfig Kafka admin client settings
     * @param timeoutMs   bound on one creation or check, in milliseconds
     */
    public RoutedTopics(Map<String, Object> adminConfig, TopicSettings settings, long timeoutMs) {
        this.adminConfig = adminConfig;
        this.settings = settings;
        this.timeoutMs = timeoutMs;
        existing.addAll(settings.all());
    }

    /**
     * Whether records of {@code signal} may go to {@code topic}, chosen by {@code template}: null when they may,
     * else the reason they are refused (the template's bound is reached, or the topic does not exist and is not
     * to be created). Blocks the first time a topic is seen, for one Kafka admin call.
     *
     * @throws KafkaException when Kafka cannot create or describe the topic now (the request is answered 503)
     */
    public String refusal(Signal signal, String topic, String template, int maxTopics, boolean create) {
        if (settings.all().contains(topic)) {
            return null;
        }
        Set<String> produced = byTemplate.computeIfAbsent(template, t -> ConcurrentHashMap.newKeySet());
        boolean reserved = false;
        // The bound is checked and the topic counted in one step, so concurrent requests cannot pass it together.
        synchronized (produced) {
            if (!produced.contains(topic)) {
                if (produced.size() >= maxTopics) {
                    return "the topic template '" + template + "' has produced its maxTopics (" + maxTopics
                            + ") topics; records for further topics are refused";
                }
                produced.add(topic);
                reserved = true;
            }
        }
        if (existing.contains(topic)) {
            return null;
        }
        String refused;
        try {
            refused = ensure(signal, topic, create);
        } catch (RuntimeException e) {
            release(produced, topic, reserved);
            throw e;
        }
        if (refused != null) {
            release(produced, topic, reserved);
        }
        return refused;
    }

    private static void release(Set<String> produced, String topic, boolean reserved) {
        if (reserved) {
            synchronized (produced) {
                produced.remove(topic);
            }
        }
    }

    /** Topics the templates have written to, sorted; the configured topics are not among them. */
    public List<String> topics() {
        Set<String> all = new java.util.TreeSet<>();
        byTemplate.values().forEach(all::addAll);
        return new ArrayList<>(all);
    }

    private synchronized String ensure(Signal signal, String topic, boolean create) {
        if (existing.contains(topic)) {
            return null;
        }
        String bad = invalid.get(topic);
        if (bad != null) {
            return invalidReason(topic, bad);
        }
        Long since = missingSince.get(topic);
        if (!create && since != null && System.currentTimeMillis() - since < MISSING_RECHECK_MS) {
            return missingReason(topic);
        }
        Map<String, Object> config = new HashMap<>(adminConfig);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        try (Admin admin = Admin.create(config)) {
            boolean found = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS).contains(topic);
            if (!found && !create) {
                missingSince.put(topic, System.currentTimeMillis());
                return missingReason(topic);
            }
            if (!found) {
                TopicSpec spec = spec(signal);
                new TopicInitializer(adminConfig, timeoutMs).reconcile(List.of(
                        new TopicSpec(topic, spec.partitions(), spec.replicationFactor(), spec.configs())), false);
                LOG.info("Created topic {} for {} (a routing template chose it), with the settings of {}", topic,
                        signal.id(), spec.name());
            }
            existing.add(topic);
            missingSince.remove(topic);
            return null;
        } catch (TopicInitializer.KafkaSetupException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidTopicException) {
                    // Permanent (a name Kafka refuses, or one that collides with an existing topic's): not retried.
                    invalid.put(topic, t.getMessage());
                    return invalidReason(topic, t.getMessage());
                }
            }
            throw new KafkaException("could not create topic " + topic + ": " + e.getMessage(), e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof UnknownTopicOrPartitionException && !create) {
                return missingReason(topic);
            }
            throw new KafkaException("could not check topic " + topic + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while checking topic " + topic, e);
        }
    }

    private TopicSpec spec(Signal signal) {
        String name = settings.topic(signal);
        return settings.specs().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no topic settings for " + name));
    }

    private static String invalidReason(String topic, String why) {
        return "Kafka refuses to create the topic '" + topic + "': " + why;
    }

    private static String missingReason(String topic) {
        return "the topic '" + topic + "' does not exist and the routing's missingTopics is dead-letter";
    }
}
