package io.telemetrybridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tail}'s default address follows the same settings the bridge was started with. */
class RecordTailTest {

    @AfterEach
    void clear() {
        System.clearProperty("bridge.kafka.bootstrap-servers");
        System.clearProperty("bridge.kafka.embedded.port");
    }

    @Test
    void defaultAddressFollowsTheBridgesSettings() {
        // The environment decides the address where it sets one; these cases are about -D.
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("BRIDGE_KAFKA_BOOTSTRAP_SERVERS") == null
                && System.getenv("BRIDGE_KAFKA_EMBEDDED_PORT") == null);
        assertThat(RecordTail.defaultBootstrap()).isEqualTo("127.0.0.1:9092");
        System.setProperty("bridge.kafka.embedded.port", "19092");
        assertThat(RecordTail.defaultBootstrap()).isEqualTo("127.0.0.1:19092");
        System.setProperty("bridge.kafka.bootstrap-servers", "kafka-1:9092,kafka-2:9092");
        assertThat(RecordTail.defaultBootstrap()).isEqualTo("kafka-1:9092,kafka-2:9092");
    }
}
