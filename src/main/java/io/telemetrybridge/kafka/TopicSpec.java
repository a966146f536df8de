package io.telemetrybridge.kafka;

import java.util.Map;

/**
 * How one of the bridge's topics should be ({@code bridge.topics.*}, docs/kafka-records.md): created with these
 * settings when missing, compared with them when it exists.
 *
 * @param name              topic name
 * @param partitions        partition count
 * @param replicationFactor replicas per partition
 * @param configs           topic configs to set ({@code retention.ms}, {@code cleanup.policy},
 *                          {@code compression.type}, {@code max.message.bytes}, any other)
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        configs = Map.copyOf(configs);
    }
}
