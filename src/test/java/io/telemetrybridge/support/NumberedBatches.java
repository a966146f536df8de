package io.telemetrybridge.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Seed log batches whose records carry the number of the request that sent them ({@code req-<n>-item-<i>}), and
 * the count of records per request found on a topic: what the outage tests compare with the HTTP answers.
 */
public final class NumberedBatches {

    private NumberedBatches() {}

    /** A seed log batch of {@code items} records, each saying it belongs to {@code request}. */
    public static byte[] batch(int request, int items) {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < items; i++) {
            logs.append(i == 0 ? "" : ",").append("{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Info\","
                    + "\"message\":\"req-").append(request).append("-item-").append(i).append("\"}");
        }
        return ("{\"id\":\"0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60\",\"timestamp\":\"2025-01-01T00:00:00Z\",\"logs\":["
                + logs + "]}").getBytes(StandardCharsets.UTF_8);
    }

    /** The same as an OTLP logs export request (protobuf): log bodies {@code req-<n>-item-<i>}. */
    public static byte[] otlpLogs(int request, int items) {
        var scope = io.opentelemetry.proto.logs.v1.ScopeLogs.newBuilder();
        for (int i = 0; i < items; i++) {
            scope.addLogRecords(io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                    .setTimeUnixNano(1_735_689_600_000_000_000L).setSeverityNumber(
                            io.opentelemetry.proto.logs.v1.SeverityNumber.SEVERITY_NUMBER_INFO)
                    .setBody(io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                            .setStringValue("req-" + request + "-item-" + i)));
        }
        return io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(io.opentelemetry.proto.logs.v1.ResourceLogs.newBuilder().addScopeLogs(scope))
                .build().toByteArray();
    }

    /** How many records each request number has on {@code topic} (read to its end offsets). */
    public static Map<Integer, Integer> recordsPerRequest(String bootstrap, String topic) {
        Map<Integer, Integer> copies = new HashMap<>();
        readAll(bootstrap, topic, r -> copies.merge(request(r), 1, Integer::sum));
        return copies;
    }

    /** The latest Kafka record timestamp (ms) among each request number's records on {@code topic} (copies too). */
    public static Map<Integer, Long> latestTimestamps(String bootstrap, String topic) {
        Map<Integer, Long> at = new HashMap<>();
        readAll(bootstrap, topic, r -> at.merge(request(r), r.timestamp(), Math::max));
        return at;
    }

    /** The request number a record of a numbered batch carries ({@code req-<n>-item-<i>}). */
    private static int request(ConsumerRecord<byte[], byte[]> r) {
        String message = Json.tree(new String(r.value(), StandardCharsets.UTF_8)).get("message").textValue();
        return Integer.parseInt(message.substring(4, message.indexOf("-item-")));
    }

    /** Every record of {@code topic} up to its end offsets, partition by partition in offset order. */
    private static void readAll(String bootstrap, String topic,
            java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    each.accept(r);
                }
            }
        }
    }

    /** A seed log batch keyed by the client (service.name), its records saying which request sent them. */
    public static byte[] keyed(int client, int request, int items) {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < items; i++) {
            logs.append(i == 0 ? "" : ",").append("{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Info\","
                    + "\"message\":\"req-").append(request).append("-item-").append(i)
                    .append("\",\"attributes\":{\"service.name\":\"client-").append(client).append("\"}}");
        }
        return ("{\"id\":\"0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60\",\"timestamp\":\"2025-01-01T00:00:00Z\",\"logs\":["
                + logs + "]}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Per key (client), the request numbers in the order their records first appear on the topic, each request
     * listed once it has all its items (duplicates of a request already complete are skipped).
     */
    public static Map<String, List<Integer>> requestsInOrder(String bootstrap, String topic, int items) {
        Map<String, List<Integer>> order = new java.util.LinkedHashMap<>();
        Map<String, Map<Integer, Integer>> seen = new HashMap<>();
        readAll(bootstrap, topic, r -> {
            String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            int id = request(r);
            if (seen.computeIfAbsent(key, k -> new HashMap<>()).merge(id, 1, Integer::sum) == items) {
                order.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(id);
            }
        });
        return order;
    }
}
