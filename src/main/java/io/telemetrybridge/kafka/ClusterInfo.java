package io.telemetrybridge.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Cluster metadata and topic descriptions through the Kafka AdminClient (the seed's "topic management and cluster
 * metadata"), as plain maps ready to be written as JSON. Every call is bounded by the timeout.
 */
public final class ClusterInfo implements AutoCloseable {

    private final Map<String, Object> adminConfig;
    private final Duration timeout;
    private volatile Admin admin;

    public ClusterInfo(Map<String, Object> adminConfig, Duration timeout) {
        this.adminConfig = adminConfig;
        this.timeout = timeout;
    }

    /**
     * {@code cluster_id}, {@code controller} and {@code brokers}, each broker as {@code id}, {@code host},
     * {@code port}, {@code rack}.
     *
     * @throws KafkaException when the cluster does not answer within the timeout
     */
    public Map<String, Object> cluster() {
        DescribeClusterResult r = admin().describeCluster(new DescribeClusterOptions().timeoutMs(ms()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster_id", get(r.clusterId()));
        out.put("controller", node(get(r.controller())));
        List<Map<String, Object>> brokers = new ArrayList<>();
        get(r.nodes()).stream().sorted((a, b) -> Integer.compare(a.id(), b.id())).forEach(n -> brokers.add(node(n)));
        out.put("brokers", brokers);
        return out;
    }

    /**
     * For each topic: {@code name}, {@code exists}, {@code partitions} (count), {@code replication_factor},
     * {@code configs} (every effective config value; secrets are never topic configs), {@code records} (end minus
     * start offsets), {@code size_bytes} (on disk, over the replicas the cluster reports), and per partition
     * {@code partition}, {@code leader}, {@code replicas}, {@code isr}, {@code start_offset}, {@code end_offset},
     * {@code size_bytes}.
     *
     * @throws KafkaException when the cluster does not answer within the timeout
     */
    public List<Map<String, Object>> topics(Collection<String> names) {
        Admin a = admin();
        Map<String, TopicDescription> described = new HashMap<>();
        for (String name : names) {
            try {
                described.put(name, get(a.describeTopics(List.of(name)).topicNameValues().get(name)));
            } catch (KafkaException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        List<TopicPartition> partitions = new ArrayList<>();
        described.values().forEach(d -> d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(),
                p.partition()))));
        Map<TopicPartition, Long> start = offsets(a, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> end = offsets(a, partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> sizes = sizes(a, described.values());
        Map<ConfigResource, Config> configs = described.isEmpty() ? Map.of() : get(a.describeConfigs(
                described.keySet().stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList())
                .all());
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", name);
            TopicDescription d = described.get(name);
            t.put("exists", d != null);
            if (d != null) {
                t.put("partitions", d.partitions().size());
                t.put("replication_factor", d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size());
                long records = 0;
                long bytes = 0;
                List<Map<String, Object>> parts = new ArrayList<>();
                for (TopicPartitionInfo p : d.partitions()) {
                    TopicPartition tp = new TopicPartition(name, p.partition());
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("partition", p.partition());
                    m.put("leader", p.leader() == null ? null : p.leader().id());
                    m.put("replicas", p.replicas().stream().map(Node::id).toList());
                    m.put("isr", p.isr().stream().map(Node::id).toList());
                    m.put("start_offset", start.get(tp));
                    m.put("end_offset", end.get(tp));
                    m.put("size_bytes", sizes.get(tp));
                    records += end.getOrDefault(tp, 0L) - start.getOrDefault(tp, 0L);
                    bytes += sizes.getOrDefault(tp, 0L);
                    parts.add(m);
                }
                t.put("records", records);
                t.put("size_bytes", sizes.isEmpty() ? null : bytes);
                Map<String, String> values = new TreeMap<>();
                Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
                if (c != null) {
                    for (ConfigEntry e : c.entries()) {
                        if (!e.isSensitive()) {
                            values.put(e.name(), e.value());
                        }
                    }
                }
                t.put("configs", values);
                t.put("partition_details", parts);
            }
            out.add(t);
        }
        return out;
    }

    private Map<TopicPartition, Long> offsets(Admin a, List<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        if (!request.isEmpty()) {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> r = get(a.listOffsets(request).all());
            r.forEach((tp, info) -> out.put(tp, info.offset()));
        }
        return out;
    }

    /** Bytes on disk per partition, summed over the replicas of the brokers that hold the topics. */
    private Map<TopicPartition, Long> sizes(Admin a, Collection<TopicDescription> topics) {
        List<Integer> brokers = topics.stream().flatMap(d -> d.partitions().stream())
                .flatMap(p -> p.replicas().stream()).map(Node::id).distinct().toList();
        Map<TopicPartition, Long> out = new HashMap<>();
        if (brokers.isEmpty()) {
            return out;
        }
        Map<Integer, Map<String, LogDirDescription>> dirs = get(a.describeLogDirs(brokers).allDescriptions());
        for (Map<String, LogDirDescription> perBroker : dirs.values()) {
            for (LogDirDescription dir : perBroker.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> e : dir.replicaInfos().entrySet()) {
                    out.merge(e.getKey(), e.getValue().size(), Long::sum);
                }
            }
        }
        return out;
    }

    private static Map<String, Object> node(Node n) {
        if (n == null || n.isEmpty()) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id());
        m.put("host", n.host());
        m.put("port", n.port());
        m.put("rack", n.rack());
        return m;
    }

    private <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(ms(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new KafkaException("Kafka at " + adminConfig.get("bootstrap.servers") + ": " + cause.getMessage(),
                    cause);
        } catch (TimeoutException e) {
            throw new KafkaException("Kafka at " + adminConfig.get("bootstrap.servers") + " did not answer within "
                    + ms() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted", e);
        }
    }

    private int ms() {
        return (int) timeout.toMillis();
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(adminConfig);
                }
                a = admin;
            }
        }
        return a;
    }

    @Override
    public void close() {
        Admin a = admin;
        if (a != null) {
            a.close(Duration.ofSeconds(2));
        }
    }
}
