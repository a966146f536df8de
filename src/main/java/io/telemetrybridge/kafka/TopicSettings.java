package io.telemetrybridge.kafka;

import io.telemetrybridge.model.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The topics the bridge writes ({@code bridge.topics.*}; docs/configuration.md), validated at start-up.
 *
 * @param topics             topic per signal
 * @param dlqTopic           dead-letter topic
 * @param specs              how each topic should be: the signals' in {@link Signal} order, then the dead-letter
 *                           topic's
 * @param increasePartitions add partitions to an existing topic that has fewer than configured
 */
public record TopicSettings(Map<Signal, String> topics, String dlqTopic, List<TopicSpec> specs,
        boolean increasePartitions) {

    public TopicSettings {
        topics = Map.copyOf(topics);
        specs = List.copyOf(specs);
    }

    /** The topic of {@code signal}. */
    public String topic(Signal signal) {
        return topics.get(signal);
    }

    /** All topic names the bridge writes to: one per signal in {@link Signal} order, then the dead-letter topic. */
    public List<String> all() {
        List<String> all = new ArrayList<>();
        for (Signal s : Signal.values()) {
            all.add(topics.get(s));
        }
        all.add(dlqTopic);
        return all;
    }
}
