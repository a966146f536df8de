package io.telemetrybridge.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.telemetrybridge.kafka.KeyedRecord;
import io.telemetrybridge.model.Signal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code otlp_proto} and {@code otlp_json} encodings: the export request itself, cut into one record per
 * resource (metrics, logs; keyed by resource identity) or per resource and trace (traces; keyed by trace id, so
 * all spans of a trace stay on one partition). Each value is a complete Export*ServiceRequest, which is
 * wire-identical to the {@code TracesData} / {@code MetricsData} / {@code LogsData} the OpenTelemetry
 * Collector's kafkaexporter writes and its kafkareceiver reads under the same encoding names.
 */
final class OtlpProtoEncoding implements OtlpEncoding {

    private final boolean json;

    OtlpProtoEncoding(boolean json) {
        this.json = json;
    }

    @Override
    public String name() {
        return json ? "otlp_json" : "otlp_proto";
    }

    @Override
    public String contentType() {
        return json ? "application/json" : "application/x-protobuf";
    }

    @Override
    public List<KeyedRecord> encode(Signal signal, Message request) throws IOException {
        List<KeyedRecord> records = new ArrayList<>();
        switch (signal) {
            case TRACES -> {
                for (ResourceSpans rs : ((ExportTraceServiceRequest) request).getResourceSpansList()) {
                    for (Map.Entry<ByteString, ResourceSpans> trace : byTrace(rs).entrySet()) {
                        records.add(new KeyedRecord(JsonOut.hex(trace.getKey()),
                                bytes(ExportTraceServiceRequest.newBuilder().addResourceSpans(trace.getValue()).build())));
                    }
                }
            }
            case METRICS -> {
                for (var rm : ((ExportMetricsServiceRequest) request).getResourceMetricsList()) {
                    records.add(new KeyedRecord(JsonOut.resourceKey(rm.getResource()),
                            bytes(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(rm).build())));
                }
            }
            case LOGS -> {
                for (var rl : ((ExportLogsServiceRequest) request).getResourceLogsList()) {
                    records.add(new KeyedRecord(JsonOut.resourceKey(rl.getResource()),
                            bytes(ExportLogsServiceRequest.newBuilder().addResourceLogs(rl).build())));
                }
            }
        }
        return records;
    }

    private byte[] bytes(Message m) throws IOException {
        return json ? OtlpJsonWriter.write(m) : m.toByteArray();
    }

    /** The spans of one resource grouped by trace id, each group keeping the resource and its scopes. */
    private static Map<ByteString, ResourceSpans> byTrace(ResourceSpans rs) {
        Map<ByteString, Map<Integer, ScopeSpans.Builder>> traces = new LinkedHashMap<>();
        for (int scope = 0; scope < rs.getScopeSpansCount(); scope++) {
            ScopeSpans ss = rs.getScopeSpans(scope);
            for (Span span : ss.getSpansList()) {
                traces.computeIfAbsent(span.getTraceId(), id -> new LinkedHashMap<>())
                        .computeIfAbsent(scope, i -> ss.toBuilder().clearSpans())
                        .addSpans(span);
            }
        }
        Map<ByteString, ResourceSpans> out = new LinkedHashMap<>();
        traces.forEach((id, scopes) -> {
            ResourceSpans.Builder b = rs.toBuilder().clearScopeSpans();
            scopes.values().forEach(b::addScopeSpans);
            out.put(id, b.build());
        });
        return out;
    }
}
