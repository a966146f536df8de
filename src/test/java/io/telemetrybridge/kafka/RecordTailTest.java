package io.telemetrybridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.BridgeApplication;
import io.telemetrybridge.config.BridgeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tail} reads the same settings as the bridge (its default address and its Kafka security), and prints any value. */
class RecordTailTest {

    @AfterEach
    void clear() {
        for (String key : new String[] {"bridge.kafka.bootstrap-servers", "bridge.kafka.embedded.port",
                "bridge.kafka.security.protocol", "bridge.kafka.sasl.mechanism", "bridge.kafka.sasl.username",
                "bridge.kafka.sasl.password"}) {
            System.clearProperty(key);
        }
    }

    @Test
    void settingsFollowTheBridgesOwn() {
        // The environment decides where it sets a value; these cases are about -D.
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("BRIDGE_KAFKA_BOOTSTRAP_SERVERS") == null
                && System.getenv("BRIDGE_KAFKA_EMBEDDED_PORT") == null
                && System.getenv("BRIDGE_KAFKA_SECURITY_PROTOCOL") == null);
        assertThat(BridgeApplication.settings().kafka().embeddedPort()).isEqualTo(9092);
        System.setProperty("bridge.kafka.embedded.port", "19092");
        assertThat(BridgeApplication.settings().kafka().embeddedPort()).isEqualTo(19092);
        System.setProperty("bridge.kafka.bootstrap-servers", "kafka-1:9092,kafka-2:9092");
        System.setProperty("bridge.kafka.security.protocol", "SASL_SSL");
        System.setProperty("bridge.kafka.sasl.mechanism", "SCRAM-SHA-256");
        System.setProperty("bridge.kafka.sasl.username", "reader");
        System.setProperty("bridge.kafka.sasl.password", "pw");
        BridgeSettings s = BridgeApplication.settings();
        assertThat(s.kafka().bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(s.kafka().security().clientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256");
    }

    /** JSON as JSON, text as a string, bytes that are not UTF-8 (a protobuf payload) as base64. */
    @Test
    void printsEveryKindOfValue() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.function.Function<byte[], com.fasterxml.jackson.databind.JsonNode> line = value -> {
            try {
                return mapper.readTree(RecordTail.line(mapper, new org.apache.kafka.clients.consumer.ConsumerRecord<>(
                        "t", 0, 5, "k".getBytes(java.nio.charset.StandardCharsets.UTF_8), value)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        assertThat(line.apply("{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)).get("value").get("a")
                .intValue()).isEqualTo(1);
        assertThat(line.apply("plain ünïcode".getBytes(java.nio.charset.StandardCharsets.UTF_8)).get("value")
                .textValue()).isEqualTo("plain ünïcode");
        byte[] protobuf = {0x0a, (byte) 0x8f, (byte) 0xff, 0x00, 0x12};
        com.fasterxml.jackson.databind.JsonNode binary = line.apply(protobuf);
        assertThat(binary.get("value").isNull()).isTrue();
        assertThat(java.util.Base64.getDecoder().decode(binary.get("value_base64").textValue())).isEqualTo(protobuf);
        assertThat(binary.get("key").textValue()).isEqualTo("k");
    }
}
