package io.telemetrybridge.config;

import static io.telemetrybridge.config.SettingsReader.PREFIX;

import io.telemetrybridge.kafka.KafkaSecurity;
import io.telemetrybridge.kafka.KafkaSettings;
import io.telemetrybridge.kafka.TopicSettings;
import io.telemetrybridge.kafka.TopicSpec;
import io.telemetrybridge.model.Signal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Reads and validates {@code bridge.kafka.*} and {@code bridge.topics.*}. */
final class KafkaKeys {

    /** Keys under which any name is allowed: Kafka client and topic configs. */
    static final List<String> OPEN_PREFIXES = List.of(PREFIX + "kafka.client.", PREFIX + "topics.config.",
            PREFIX + "topics.metrics.config.", PREFIX + "topics.traces.config.", PREFIX + "topics.logs.config.",
            PREFIX + "topics.dlq.config.");

    private KafkaKeys() {}

    static KafkaSettings kafka(SettingsReader r) {
        String bootstrap = r.text("kafka.bootstrap-servers", "");
        if (bootstrap.isBlank()) {
            // Camel's own key for the same thing also counts as "configured".
            bootstrap = r.camel("camel.component.kafka.brokers");
        }
        KafkaSettings kafka = new KafkaSettings(bootstrap,
                r.port("kafka.embedded.port", 9092),
                r.port("kafka.embedded.controller-port", 9093),
                Path.of(r.text("kafka.embedded.data-dir", "data/kafka")),
                r.positive("kafka.admin-timeout-ms", 10_000),
                security(r));
        if (kafka.embeddedPort() == kafka.embeddedControllerPort()) {
            r.errors.add(PREFIX + "kafka.embedded.controller-port: must differ from " + PREFIX
                    + "kafka.embedded.port (both " + kafka.embeddedPort() + ")");
        }
        if (kafka.embedded() && !kafka.security().protocol().equals("PLAINTEXT")) {
            r.errors.add(PREFIX + "kafka.security.protocol=" + kafka.security().protocol() + " needs "
                    + PREFIX + "kafka.bootstrap-servers: the embedded broker speaks PLAINTEXT only");
        }
        return kafka;
    }

    /**
     * Per topic: {@code bridge.topics.<signal|dlq>.partitions} and {@code .replication-factor} (else the shared
     * {@code bridge.topics.partitions} / {@code .replication-factor}), and topic configs from
     * {@code bridge.topics.config.<key>} (every topic) overlaid by {@code bridge.topics.<signal|dlq>.config.<key>}.
     */
    static TopicSettings topics(SettingsReader r) {
        Map<Signal, String> topics = new EnumMap<>(Signal.class);
        for (Signal s : Signal.values()) {
            topics.put(s, r.topic("topics." + s.id(), "telemetry." + s.id()));
        }
        String dlq = r.topic("topics.dlq", "telemetry.dlq");
        int partitions = (int) r.positive("topics.partitions", 3);
        short replicationFactor = (short) r.positive("topics.replication-factor", 1);
        Properties all = r.keysUnder(PREFIX + "topics.");
        Map<String, String> shared = configs(all, PREFIX + "topics.config.", Map.of());
        List<TopicSpec> specs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Signal signal : Signal.values()) {
            ids.add(signal.id());
            names.add(topics.get(signal));
        }
        ids.add("dlq");
        names.add(dlq);
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            specs.add(new TopicSpec(names.get(i),
                    (int) r.positive("topics." + id + ".partitions", partitions),
                    (short) r.positive("topics." + id + ".replication-factor", replicationFactor),
                    configs(all, PREFIX + "topics." + id + ".config.", shared)));
        }
        TopicSettings settings = new TopicSettings(topics, dlq, specs, r.bool("topics.increase-partitions", false));
        if (settings.all().stream().distinct().count() != settings.all().size()) {
            r.errors.add(PREFIX + "topics.*: each signal and the dead-letter queue need their own topic, got "
                    + settings.all());
        }
        return settings;
    }

    private static Map<String, String> configs(Properties all, String prefix, Map<String, String> base) {
        Map<String, String> configs = new TreeMap<>(base);
        all.stringPropertyNames().stream().filter(k -> k.startsWith(prefix))
                .forEach(k -> configs.put(k.substring(prefix.length()), all.getProperty(k).trim()));
        return configs;
    }

    /** {@code bridge.kafka.security.*}, {@code .sasl.*}, {@code .ssl.*} and {@code bridge.kafka.client.*}. */
    private static KafkaSecurity security(SettingsReader r) {
        String prefix = PREFIX + "kafka.client.";
        Map<String, String> passthrough = new TreeMap<>();
        Properties raw = r.keysUnder(prefix);
        String jaasKey = prefix + "sasl.jaas.config";
        if (raw.containsKey(jaasKey) && !raw.getProperty(jaasKey).contains("{{")) {
            // Camel's start-up summary prints this key's value, password included.
            r.errors.add(jaasKey + ": would show its password in the log; use " + PREFIX + "kafka.sasl-jaas-config "
                    + "(masked), or {{env:NAME}} as the value");
        }
        for (String k : raw.stringPropertyNames()) {
            // Resolved through Camel, so {{env:NAME}} placeholders keep secrets out of the file.
            String v = r.properties.resolveProperty(k).orElse(System.getProperty(k, ""));
            passthrough.put(k.substring(prefix.length()), v.trim());
        }
        return KafkaSecurity.read(r.lookup, passthrough, r.errors);
    }
}
