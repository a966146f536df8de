package io.telemetrybridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telemetrybridge.support.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {

    @Test
    void secondBrokerOnTheSameDataDirectoryIsRefusedAndTheFirstKeepsWorking() throws Exception {
        Path dir = Files.createTempDirectory("kafka-lock-");
        EmbeddedKafkaBroker first = new EmbeddedKafkaBroker(dir, KafkaBroker.freePort(), KafkaBroker.freePort());
        first.start();
        try {
            EmbeddedKafkaBroker second = new EmbeddedKafkaBroker(dir, KafkaBroker.freePort(), KafkaBroker.freePort());
            assertThatThrownBy(second::start).hasMessageContaining("is in use by another process");

            TopicInitializer topics = new TopicInitializer(
                    Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers()), 10_000);
            assertThat(topics.reconcile(List.of(new TopicSpec("lock-test", 1, (short) 1, Map.of())), false).created())
                    .containsExactly("lock-test");
        } finally {
            first.stop();
        }
        assertThat(first.isStopped()).isTrue();
    }
}
