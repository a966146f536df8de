package io.telemetrybridge.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * Kafka client meters as Micrometer's binder leaves them: once a name has per-topic variants it removes the
 * client-wide one, and the stats must still add up (a new-user trial saw messages_consumed 0 after queries).
 */
class BridgeStatsSumTest {

    private static final String BYTES = "kafka.consumer.fetch.manager.bytes.consumed.total";

    @Test
    void perTopicMetersAreSummedWhenTheClientWideOneIsGone() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        counter(r, 5, "client.id", "q-1", "topic", "telemetry.metrics");
        counter(r, 7, "client.id", "q-1", "topic", "telemetry.logs");
        counter(r, 11, "client.id", "q-2", "topic", "telemetry.logs");
        assertThat(BridgeStats.sum(r, BYTES)).isEqualTo(23);
    }

    @Test
    void theClientWideMetersAreUsedWhileTheyExistAndTopicsAreNotCountedTwice() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        counter(r, 12, "client.id", "q-1");
        counter(r, 5, "client.id", "q-1", "topic", "telemetry.metrics");
        counter(r, 7, "client.id", "q-1", "topic", "telemetry.logs");
        assertThat(BridgeStats.sum(r, BYTES)).isEqualTo(12);
        assertThat(BridgeStats.sum(r, "kafka.consumer.none")).isZero();
    }

    private static void counter(SimpleMeterRegistry r, double value, String... tags) {
        FunctionCounter.builder(BYTES, value, v -> v).tags(tags).register(r);
    }
}
