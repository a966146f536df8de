package io.telemetrybridge.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrybridge.kafka.ClusterInfo;
import java.util.List;
import java.util.Map;
import io.telemetrybridge.http.HttpAnswer;
import org.apache.camel.Exchange;

/**
 * Route steps of the operator's API (docs/operations.md): {@code GET /api/v1/stats} ({@link BridgeStats}),
 * {@code GET /api/v1/cluster} and {@code GET /api/v1/topics} ({@link ClusterInfo}). A cluster that does not
 * answer in time is a Kafka exception, answered 503 by the route configuration.
 */
public final class OperateApi {

    private final BridgeStats stats;
    private final ClusterInfo cluster;
    private final java.util.function.Supplier<List<String>> topics;
    private final ObjectMapper mapper;

    /**
     * @param topics the bridge's topics, one per signal then the dead-letter topic, then those routing rules
     *               created since
     */
    public OperateApi(BridgeStats stats, ClusterInfo cluster, java.util.function.Supplier<List<String>> topics,
            ObjectMapper mapper) {
        this.stats = stats;
        this.cluster = cluster;
        this.topics = topics;
        this.mapper = mapper;
    }

    public void stats(Exchange exchange) throws Exception {
        answer(exchange, stats.snapshot());
    }

    public void cluster(Exchange exchange) throws Exception {
        answer(exchange, cluster.cluster());
    }

    public void topics(Exchange exchange) throws Exception {
        answer(exchange, Map.of("topics", cluster.topics(topics.get())));
    }

    private void answer(Exchange exchange, Object body) throws Exception {
        HttpAnswer.write(exchange, 200, "application/json", mapper.writeValueAsBytes(body));
    }
}
