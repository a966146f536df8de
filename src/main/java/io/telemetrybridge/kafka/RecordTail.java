package io.telemetrybridge.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code java -jar telemetry-bridge.jar tail TOPIC [--bootstrap-servers HOST:PORT] [--follow]}: prints every
 * record of a topic, oldest first within each partition, one JSON object per line ({@code partition}, {@code offset},
 * {@code timestamp} in ms, {@code key}, {@code headers}, {@code value}), then exits at the end offsets it saw
 * when it started (or keeps waiting with {@code --follow}). Joins no consumer group and commits nothing. The
 * default address and the security settings are the bridge's own (application.properties, {@code -D}, environment:
 * {@code bridge.kafka.bootstrap-servers}, else the embedded broker's {@code 127.0.0.1:<bridge.kafka.embedded.port>};
 * {@code bridge.kafka.security.*}, {@code .sasl.*}, {@code .ssl.*}, {@code .client.*}).
 */
public final class RecordTail {

    private RecordTail() {}

    /**
     * @param defaultBootstrap the cluster the bridge's settings name (used without {@code --bootstrap-servers})
     * @param security         the bridge's Kafka security settings ({@link KafkaSecurity#clientProperties()})
     * @return the process exit code: 0; 1 when the topic is missing or Kafka does not answer; 2 for bad arguments
     */
    public static int run(String[] args, String defaultBootstrap, Map<String, Object> security) {
        String topic = null;
        String bootstrap = defaultBootstrap;
        boolean follow = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap-servers" -> bootstrap = i + 1 < args.length ? args[++i] : null;
                case "--follow" -> follow = true;
                default -> topic = args[i].startsWith("--") ? null : args[i];
            }
        }
        if (topic == null || bootstrap == null) {
            System.err.println("usage: java -jar telemetry-bridge.jar tail TOPIC [--bootstrap-servers HOST:PORT]"
                    + " [--follow]");
            return 2;
        }
        try {
            return print(topic, bootstrap, security, follow, System.out);
        } catch (TimeoutException e) {
            System.err.println("Kafka at " + bootstrap + " did not answer: " + e.getMessage());
            return 1;
        } catch (KafkaException e) {
            String refused = KafkaErrors.securityProblem(e);
            System.err.println("Kafka at " + bootstrap + " refused tail: " + (refused != null ? refused
                    : e.getMessage()));
            return 1;
        }
    }

    /** @return 0, or 1 when the topic does not exist */
    static int print(String topic, String bootstrap, Map<String, Object> security, boolean follow,
            PrintStream out) {
        Properties p = new Properties();
        p.putAll(security);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "telemetry-bridge-tail");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        ObjectMapper mapper = new ObjectMapper();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                System.err.println("no topic " + topic + " on " + bootstrap);
                return 1;
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (follow || partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.println(line(mapper, r));
                }
            }
        }
        return 0;
    }

    /**
     * One record as a line of JSON. A value that is JSON is printed as JSON, other UTF-8 text as a string, and
     * anything else (an {@code otlp_proto} record, a dead letter's protobuf payload) as base64 under
     * {@code value_base64}, with {@code value} null: decoded as UTF-8 it printed as replacement characters.
     */
    static String line(ObjectMapper mapper, ConsumerRecord<byte[], byte[]> r) {
        ObjectNode node = mapper.createObjectNode();
        node.put("partition", r.partition());
        node.put("offset", r.offset());
        node.put("timestamp", r.timestamp());
        node.put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
        ObjectNode headers = node.putObject("headers");
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        String value = r.value() == null ? null : utf8(r.value());
        if (value == null && r.value() != null) {
            node.putNull("value");
            node.put("value_base64", Base64.getEncoder().encodeToString(r.value()));
            return node.toString();
        }
        try {
            JsonNode json = mapper.readTree(value);
            node.set("value", json);
        } catch (Exception notJson) {
            node.put("value", value);
        }
        return node.toString();
    }

    /** {@code bytes} as UTF-8 text, or null when they are not valid UTF-8. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
