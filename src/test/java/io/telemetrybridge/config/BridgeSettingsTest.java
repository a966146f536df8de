package io.telemetrybridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telemetrybridge.model.Signal;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class BridgeSettingsTest {

    private static BridgeSettings read(String... keyValues) throws java.io.IOException {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(p);
            return BridgeSettings.from(context.getPropertiesComponent());
        }
    }

    @Test
    void theSettingsSummaryListsGivenKeysAndShowsSecretsOnlyAsSetOrUnset() throws Exception {
        Properties p = new Properties();
        p.setProperty("bridge.http.auth.ingest.token", "s3cret-ingest-token");
        p.setProperty("bridge.http.auth.read.token", "");
        p.setProperty("bridge.topics.partitions", "6");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(p);
            BridgeSettings.from(context.getPropertiesComponent());
            java.util.List<String> summary = BridgeSettings.summary(context.getPropertiesComponent());

            assertThat(summary).contains("bridge.http.auth.ingest.token = set", "bridge.http.auth.read.token = unset",
                    "bridge.topics.partitions = 6").noneMatch(l -> l.contains("s3cret") || l.contains("xxxxxx"));
        }
    }

    @Test
    void defaultsStartTheEmbeddedBrokerWithTheDocumentedTopics() throws Exception {
        BridgeSettings s = read();
        assertThat(s.kafka().embedded()).isTrue();
        assertThat(s.kafka().embeddedPort()).isEqualTo(9092);
        assertThat(s.topics().topics()).containsEntry(Signal.METRICS, "telemetry.metrics")
                .containsEntry(Signal.TRACES, "telemetry.traces").containsEntry(Signal.LOGS, "telemetry.logs");
        assertThat(s.topics().dlqTopic()).isEqualTo("telemetry.dlq");
        assertThat(s.topics().specs()).hasSize(4).allSatisfy(spec -> {
            assertThat(spec.partitions()).isEqualTo(3);
            assertThat(spec.replicationFactor()).isEqualTo((short) 1);
        });
        assertThat(s.http().port()).isEqualTo(8080);
    }

    @Test
    void bootstrapServersTurnTheEmbeddedBrokerOff() throws Exception {
        assertThat(read("bridge.kafka.bootstrap-servers", "kafka-1:9092").kafka().embedded()).isFalse();
        assertThat(read("camel.component.kafka.brokers", "kafka-1:9092").kafka().bootstrapServers()).isEqualTo("kafka-1:9092");
    }

    @Test
    void everyBadValueIsReportedWithItsKey() throws Exception {
        assertThatThrownBy(() -> read(
                "bridge.topics.partitions", "three",
                "bridge.kafka.embedded.port", "70000",
                "bridge.topics.logs", "bad topic!",
                "bridge.heartbeat.enabled", "yes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bridge.topics.partitions: expected a positive integer, got 'three'")
                .hasMessageContaining("bridge.kafka.embedded.port: expected a port from 1 to 65535, got 70000")
                .hasMessageContaining("bridge.topics.logs: not a valid Kafka topic name: 'bad topic!'")
                .hasMessageContaining("bridge.heartbeat.enabled: expected true or false, got 'yes'");
    }

    @Test
    void signalsNeedDistinctTopics() throws Exception {
        assertThatThrownBy(() -> read("bridge.topics.logs", "telemetry.metrics"))
                .hasMessageContaining("each signal and the dead-letter queue need their own topic");
    }

    @Test
    void tokensComeFromTheKeyAndAFileAndNeverShowInToString() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("tokens", ".txt");
        java.nio.file.Files.writeString(file, "# senders\nfile-token-1\n\nfile-token-2\n");
        BridgeSettings s = read("bridge.http.auth.ingest.token", "key-token-a, key-token-b",
                "bridge.http.auth.ingest.token-file", file.toString(), "bridge.http.auth.read.token", "reader-x");

        assertThat(s.http().access().ingestTokens()).containsExactly("key-token-a", "key-token-b", "file-token-1",
                "file-token-2");
        assertThat(s.http().access().readTokens()).containsExactly("reader-x");
        assertThat(s.toString()).doesNotContain("key-token").doesNotContain("file-token").doesNotContain("reader-x")
                .contains("ingestTokens=4 configured");
    }

    @Test
    void aTokenFileWithNoTokenIsRefusedRatherThanLeavingTheEndpointsOpen() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("tokens", ".txt");
        java.nio.file.Files.writeString(file, "# nobody yet\n\n");
        assertThatThrownBy(() -> read("bridge.http.auth.read.token-file", file.toString()))
                .hasMessageContaining("bridge.http.auth.read.token-file: " + file + " holds no token");
        assertThatThrownBy(() -> read("bridge.http.auth.ingest.token-file", file + ".missing"))
                .hasMessageContaining("bridge.http.auth.ingest.token-file: cannot read " + file + ".missing");
    }

    @Test
    void aBadCorsOriginIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> read("bridge.http.cors.allowed-origins", "app.example.com"))
                .hasMessageContaining("bridge.http.cors.allowed-origins");
    }

    @Test
    void topicConfigsGivenAsSystemPropertiesApply() throws Exception {
        System.setProperty("bridge.topics.traces.config.compression.type", "zstd");
        try {
            BridgeSettings s = read("bridge.topics.config.retention.ms", "86400000");
            var traces = s.topics().specs().get(1);
            assertThat(traces.name()).isEqualTo("telemetry.traces");
            assertThat(traces.configs()).containsEntry("compression.type", "zstd")
                    .containsEntry("retention.ms", "86400000");
            assertThat(s.topics().specs().get(0).configs()).doesNotContainKey("compression.type");
        } finally {
            System.clearProperty("bridge.topics.traces.config.compression.type");
        }
    }

    @Test
    void aMisspeltKeyStopsTheStartUpNamingTheNearestKnownKey() {
        assertThatThrownBy(() -> read("bridge.topcs.partitions", "6", "bridge.grpc.prot", "4317"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bridge.topcs.partitions: not a setting of the bridge; did you mean "
                        + "bridge.topics.partitions?")
                .hasMessageContaining("bridge.grpc.prot: not a setting of the bridge; did you mean bridge.grpc.port?");
    }

    @Test
    void openEndedKeysAndEveryKeyOfTheShippedPropertiesAreKnown() throws Exception {
        Properties shipped = new Properties();
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("application.properties"))) {
            shipped.load(in);
        }
        java.util.List<String> pairs = new java.util.ArrayList<>();
        shipped.stringPropertyNames().stream().filter(k -> k.startsWith("bridge.")).forEach(k -> {
            pairs.add(k);
            pairs.add(shipped.getProperty(k));
        });
        pairs.addAll(java.util.List.of("bridge.kafka.client.linger.ms", "7", "bridge.topics.logs.config.retention.ms",
                "1000"));
        assertThat(read(pairs.toArray(String[]::new)).grpc().port()).isEqualTo(4317);
    }

    @Test
    void serverPortsOutOfRangeAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> read("camel.server.port", "99999"))
                .hasMessageContaining("camel.server.port: expected a port from 0 to 65535, got '99999'");
    }
}
