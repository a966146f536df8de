package io.telemetrybridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.BridgeApplication;
import io.telemetrybridge.config.BridgeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tail} reads the same settings as the bridge: its default address and its Kafka security. */
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
}
