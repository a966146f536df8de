package io.telemetrybridge.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Queries at the edges: poison records, late data, the scan bound, other record encodings, a restart. */
@ExtendWith(KafkaBroker.class)
class QueryEdgesTest {

    @Test
    void aPoisonRecordInTheMiddleOfAPartitionIsSkippedAndDeadLetteredOnce() throws Exception {
        try (RunningBridge bridge = RunningBridge.start()) {
            String topic = bridge.topic("logs");
            List<Long> offsets = new ArrayList<>();
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                for (byte[] value : new byte[][] {log("before"), "{not json".getBytes(StandardCharsets.UTF_8),
                        log("after")}) {
                    RecordMetadata m = producer.send(new ProducerRecord<>(topic, 1, null, value)).get();
                    offsets.add(m.offset());
                }
            }

            JsonNode first = query(bridge, "logs", "{}");
            JsonNode second = query(bridge, "logs", "{}");

            for (JsonNode result : List.of(first, second)) {
                assertThat(result.get("status").asText()).isEqualTo("Success");
                List<String> messages = new ArrayList<>();
                result.get("data").forEach(l -> messages.add(l.get("message").asText()));
                assertThat(messages).containsExactly("before", "after");
                assertThat(result.get("metadata").get("poison_records_skipped").asText()).isEqualTo("1");
            }
            List<Topics.Rec> dlq = Topics.awaitRecords(bridge.topic("dlq"), 1, Duration.ofSeconds(10));
            Topics.sleep(500);
            dlq = Topics.readAll(bridge.topic("dlq"));
            assertThat(dlq).hasSize(1);
            Map<String, String> headers = dlq.get(0).headers();
            assertThat(headers).containsEntry("telemetry.dlq.kafka.topic", topic)
                    .containsEntry("telemetry.dlq.kafka.partition", "1")
                    .containsEntry("telemetry.dlq.kafka.offset", String.valueOf(offsets.get(1)))
                    .containsEntry("telemetry.dlq.signal", "logs")
                    .containsEntry("telemetry.dlq.kind", "permanent");
            assertThat(dlq.get(0).value()).isEqualTo("{not json");
        }
    }

    @Test
    void lateRecordsAreFoundWithinTheLatenessBoundOnly() {
        try (RunningBridge bridge = RunningBridge.start(Map.of("bridge.query.max-lateness-ms", "600000"))) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            post(bridge, "logs", logItem("five minutes late", now.minus(5, ChronoUnit.MINUTES)));
            post(bridge, "logs", logItem("thirty minutes late", now.minus(30, ChronoUnit.MINUTES)));

            assertThat(messages(query(bridge, "logs", range(now.minus(6, ChronoUnit.MINUTES),
                    now.minus(4, ChronoUnit.MINUTES))))).containsExactly("five minutes late");
            // It reached the bridge 30 min after its event time, past the 10 min bound: not read for this range.
            assertThat(messages(query(bridge, "logs", range(now.minus(31, ChronoUnit.MINUTES),
                    now.minus(29, ChronoUnit.MINUTES))))).isEmpty();
            assertThat(messages(query(bridge, "logs", "{}")))
                    .containsExactlyInAnyOrder("five minutes late", "thirty minutes late");
        }
    }

    @Test
    void aQueryPastTheScanBoundIsPartialWithAScanLimitError() {
        try (RunningBridge bridge = RunningBridge.start(Map.of("bridge.query.max-records-scanned", "3"))) {
            for (int i = 0; i < 10; i++) {
                post(bridge, "logs", logItem("log " + i, Instant.now()));
            }

            JsonNode result = query(bridge, "logs", "{}");

            assertThat(result.get("status").asText()).isEqualTo("Partial");
            assertThat(result.get("errors").get(0).get("code").asText()).isEqualTo("scan_limit");
            assertThat(result.get("data").size()).isLessThanOrEqualTo(3);
            assertThat(result.get("metadata").get("records_scanned").asText()).isEqualTo("3");
        }
    }

    @Test
    void tracesWrittenAsOtlpProtobufAreQueriedAsSpans() {
        try (RunningBridge bridge = RunningBridge.start(Map.of("bridge.otlp.traces.encoding", "otlp_proto",
                "bridge.query.max-lateness-ms", "0"))) {
            HttpResponse<String> sent = bridge.post("/v1/traces", "application/x-protobuf",
                    Json.resource("fixtures/otlp/trace.protobuf-bin"));
            assertThat(sent.statusCode()).isEqualTo(200);
            JsonNode expected = Json.resourceTree("golden/otlp/trace-protobuf.records.json");

            HttpResponse<String> response = bridge.get("/api/v1/traces/" + expected.get(0).get("key").asText());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode data = Json.tree(response.body()).get("data");
            assertThat(data).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                Json.assertSameTree(expected.get(i).get("value"), data.get(i));
            }
        }
    }

    @Test
    void answersAreTheSameAfterTheBridgeRestarts() {
        Map<String, String> topics;
        String body = "{\"log_level\": \"Warn\"}";
        JsonNode before;
        try (RunningBridge bridge = RunningBridge.start()) {
            topics = bridge.topicSettings();
            for (int i = 0; i < 12; i++) {
                post(bridge, "logs", logItem("log " + i, Instant.now()).put("level", i % 3 == 0 ? "Warn" : "Info"));
            }
            before = query(bridge, "logs", body);
        }
        try (RunningBridge restarted = RunningBridge.start(topics)) {
            JsonNode after = query(restarted, "logs", body);
            assertThat(messages(after)).hasSize(4).isEqualTo(messages(before));
        }
    }

    // --- helpers ---

    static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static byte[] log(String message) {
        return logItem(message, Instant.now()).toString().getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode logItem(String message, Instant time) {
        ObjectNode log = Json.MAPPER.createObjectNode();
        log.put("timestamp", time.toString());
        log.put("level", "Info");
        log.put("message", message);
        log.putObject("attributes").put("service.name", "edge");
        return log;
    }

    static void post(RunningBridge bridge, String signal, ObjectNode item) {
        ObjectNode batch = Json.MAPPER.createObjectNode();
        batch.put("id", java.util.UUID.randomUUID().toString());
        batch.put("timestamp", Instant.now().toString());
        batch.putArray(signal).add(item);
        batch.putObject("metadata");
        HttpResponse<String> response = bridge.post("/api/v1/" + signal, "application/json",
                batch.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    static JsonNode query(RunningBridge bridge, String signal, String body) {
        HttpResponse<String> response = bridge.post("/api/v1/query/" + signal, "application/json",
                body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }

    static String range(Instant start, Instant end) {
        return "{\"time_range\": {\"start\": \"" + start + "\", \"end\": \"" + end + "\"}}";
    }

    static List<String> messages(JsonNode result) {
        List<String> out = new ArrayList<>();
        result.get("data").forEach(l -> out.add(l.get("message").asText()));
        return out;
    }
}
