package io.telemetrybridge.kafka;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.telemetrybridge.model.LogData;
import io.telemetrybridge.model.MetricData;
import io.telemetrybridge.model.TraceData;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every Kafka record key the bridge writes, for every entry path (docs/kafka-records.md, "Keys"). The default
 * partitioner sends equal keys to one partition, so a key is what keeps records in order relative to each other.
 * One scheme per signal, whatever the path:
 * <ul>
 *   <li>spans: the trace id (lowercase hex), so a whole trace sits on one partition;</li>
 *   <li>metrics and logs: the identity of their source, {@code service.namespace/service.name/service.instance.id}
 *       (string values joined by '/', absent parts skipped), read from the OTLP resource or from a seed item's
 *       labels (metrics) or attributes (logs), so one service instance's data stays in order. Without any of the
 *       three, a seed metric is keyed by its series, {@code name{k1=v1,k2=v2}} (labels sorted, the Prometheus
 *       notation), a seed log by its {@code service} attribute, and OTLP data gets no key.</li>
 * </ul>
 * A route's routing rule can set its own key ({@code io.telemetrybridge.rules.RecordRouting}). The seed keyed by
 * timestamp, which scatters a series over all partitions (docs/seed-api.md).
 */
public final class RecordKeys {

    private RecordKeys() {}

    /** The key of one seed-API or file item ({@link MetricData}, {@link TraceData}, {@link LogData}). */
    public static String of(Object item) {
        if (item instanceof MetricData m) {
            String source = identity(m.labels());
            return source != null ? source : series(m.name(), m.labels());
        }
        if (item instanceof TraceData t) {
            return t.traceId();
        }
        if (item instanceof LogData l) {
            String source = identity(l.attributes());
            return source != null ? source : l.attributes().get("service");
        }
        throw new IllegalArgumentException("no key rule for " + item.getClass().getName());
    }

    /** The key of an OTLP span: its trace id, lowercase hex. */
    public static String trace(ByteString traceId) {
        return traceId.isEmpty() ? null : HexFormat.of().formatHex(traceId.toByteArray());
    }

    /**
     * The key of OTLP data points and log records: their resource's {@code service.namespace},
     * {@code service.name} and {@code service.instance.id} (string values) joined by '/', in that order, absent
     * parts skipped; null (no key) when the resource has none of them.
     */
    public static String resource(Resource resource) {
        StringBuilder key = new StringBuilder();
        for (String part : IDENTITY) {
            for (KeyValue kv : resource.getAttributesList()) {
                if (kv.getKey().equals(part) && kv.getValue().hasStringValue()) {
                    if (key.length() > 0) {
                        key.append('/');
                    }
                    key.append(kv.getValue().getStringValue());
                    break;
                }
            }
        }
        return key.length() == 0 ? null : key.toString();
    }

    private static final String[] IDENTITY = {"service.namespace", "service.name", "service.instance.id"};

    /** The source identity of seed labels or attributes, as {@link #resource} builds it; null without one. */
    static String identity(Map<String, String> attributes) {
        StringBuilder key = new StringBuilder();
        for (String part : IDENTITY) {
            String v = attributes.get(part);
            if (v != null && !v.isEmpty()) {
                if (key.length() > 0) {
                    key.append('/');
                }
                key.append(v);
            }
        }
        return key.length() == 0 ? null : key.toString();
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
