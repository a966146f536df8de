package io.telemetrybridge.kafka;

import java.nio.file.Path;

/**
 * Where Kafka is and how the bridge talks to it ({@code bridge.kafka.*}; docs/configuration.md), validated at
 * start-up.
 *
 * @param bootstrapServers       the cluster's bootstrap servers; empty means "start the embedded broker"
 * @param embeddedPort           embedded broker client port
 * @param embeddedControllerPort embedded broker KRaft controller port
 * @param embeddedDataDir        embedded broker log directory
 * @param adminTimeoutMs         bound on start-up calls to the cluster (topic creation), milliseconds
 * @param security               security protocol, SASL and TLS settings of every client (no secret in toString)
 */
public record KafkaSettings(String bootstrapServers, int embeddedPort, int embeddedControllerPort, Path embeddedDataDir,
        long adminTimeoutMs, KafkaSecurity security) {

    /** {@code true} when no Kafka address is configured and the bridge runs its own broker. */
    public boolean embedded() {
        return bootstrapServers.isBlank();
    }

    /** The address clients use: the configured servers, or the embedded broker's. */
    public String clientBootstrap() {
        return embedded() ? "127.0.0.1:" + embeddedPort : bootstrapServers;
    }
}
