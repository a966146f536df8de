package io.telemetrybridge.kafka;

import io.telemetrybridge.model.LogData;
import io.telemetrybridge.model.MetricData;
import io.telemetrybridge.model.TraceData;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kafka record keys. The default partitioner sends equal keys to one partition, so a key is what keeps
 * records in order relative to each other:
 * <ul>
 *   <li>a span: its {@code trace_id}, so a whole trace sits on one partition;</li>
 *   <li>a metric: its series identity, {@code name{k1=v1,k2=v2}} with labels sorted by key (the Prometheus
 *       notation), so each series stays in order;</li>
 *   <li>a log record: its {@code service.name} attribute (else {@code service}), so one service's logs stay in
 *       order; without either, no key (records spread over partitions).</li>
 * </ul>
 * The seed keyed by timestamp, which scatters a series over all partitions (SEED-MODEL.md, Records).
 */
public final class RecordKeys {

    private RecordKeys() {}

    public static String of(Object item) {
        if (item instanceof MetricData m) {
            return series(m.name(), m.labels());
        }
        if (item instanceof TraceData t) {
            return t.traceId();
        }
        if (item instanceof LogData l) {
            String service = l.attributes().get("service.name");
            return service != null ? service : l.attributes().get("service");
        }
        throw new IllegalArgumentException("no key rule for " + item.getClass().getName());
    }

    /** {@code name{a=1,b=2}}; just {@code name} without labels. */
    static String series(String name, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name).append('{');
        new TreeMap<>(labels).forEach((k, v) -> sb.append(k).append('=').append(v).append(','));
        sb.setCharAt(sb.length() - 1, '}');
        return sb.toString();
    }
}
