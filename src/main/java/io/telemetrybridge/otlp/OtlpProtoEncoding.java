package io.telemetrybridge.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.telemetrybridge.kafka.RecordKeys;
import io.telemetrybridge.model.KeyedRecord;
import io.telemetrybridge.model.Signal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The {@code otlp_proto} and {@code otlp_json} encodings: the export request itself, cut into one record per
 * resource (metrics, logs; keyed by resource identity) or per resource and trace (traces; keyed by trace id, so
 * all spans of a trace stay on one partition). Each value is a complete Export*ServiceRequest, which is
 * wire-identical to the {@code TracesData} / {@code MetricsData} / {@code LogsData} the OpenTelemetry
 * Collector's kafkaexporter writes and its kafkareceiver reads under the same encoding names. A record over the
 * topic's size limit is cut into several of the same key (halving its spans, log records, metrics, then a
 * metric's data points), so only a single item too large on its own is refused.
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

    /** Every record, whatever its size (the same cut as {@link #encode(Signal, Message, java.util.function.Predicate)}). */
    @Override
    public List<KeyedRecord> encode(Signal signal, Message request) throws IOException {
        return encode(signal, request, r -> true).records();
    }

    /**
     * A leaf of one resource's data: its scope's position and one span, log record or metric (maybe only some of
     * its data points; {@code origin} tells which metric they came from, so pieces that stay together are merged).
     */
    private record Unit(int scope, Message item, int origin) {

        Unit(int scope, Message item) {
            this(scope, item, -1);
        }
    }

    @Override
    public Fitted encode(Signal signal, Message request, Predicate<KeyedRecord> fits)
            throws IOException {
        List<KeyedRecord> records = new ArrayList<>();
        List<TooLarge> tooLarge = new ArrayList<>();
        switch (signal) {
            case TRACES -> {
                for (ResourceSpans rs : ((ExportTraceServiceRequest) request).getResourceSpansList()) {
                    for (Map.Entry<ByteString, ResourceSpans> trace : byTrace(rs).entrySet()) {
                        ResourceSpans group = trace.getValue();
                        List<Unit> units = new ArrayList<>();
                        for (int i = 0; i < group.getScopeSpansCount(); i++) {
                            for (Span span : group.getScopeSpans(i).getSpansList()) {
                                units.add(new Unit(i, span));
                            }
                        }
                        pack(RecordKeys.trace(trace.getKey()), units, u -> {
                            ResourceSpans.Builder b = group.toBuilder().clearScopeSpans();
                            grouped(u).forEach((scope, items) -> b.addScopeSpans(group.getScopeSpans(scope).toBuilder()
                                    .clearSpans().addAllSpans(items.stream().map(Span.class::cast).toList())));
                            return ExportTraceServiceRequest.newBuilder().addResourceSpans(b).build();
                        }, fits, records, tooLarge, true);
                    }
                }
            }
            case METRICS -> {
                for (ResourceMetrics rm : ((ExportMetricsServiceRequest) request).getResourceMetricsList()) {
                    List<Unit> units = new ArrayList<>();
                    for (int i = 0; i < rm.getScopeMetricsCount(); i++) {
                        for (Metric metric : rm.getScopeMetrics(i).getMetricsList()) {
                            units.add(new Unit(i, metric, units.size()));
                        }
                    }
                    pack(RecordKeys.resource(rm.getResource()), units, u -> {
                        ResourceMetrics.Builder b = rm.toBuilder().clearScopeMetrics();
                        Map<Integer, List<Unit>> byScope = new TreeMap<>();
                        u.forEach(unit -> byScope.computeIfAbsent(unit.scope(), x -> new ArrayList<>()).add(unit));
                        byScope.forEach((scope, items) -> b.addScopeMetrics(rm.getScopeMetrics(scope).toBuilder()
                                .clearMetrics().addAllMetrics(merged(items))));
                        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(b).build();
                    }, fits, records, tooLarge, true);
                }
            }
            case LOGS -> {
                for (ResourceLogs rl : ((ExportLogsServiceRequest) request).getResourceLogsList()) {
                    List<Unit> units = new ArrayList<>();
                    for (int i = 0; i < rl.getScopeLogsCount(); i++) {
                        for (LogRecord log : rl.getScopeLogs(i).getLogRecordsList()) {
                            units.add(new Unit(i, log));
                        }
                    }
                    pack(RecordKeys.resource(rl.getResource()), units, u -> {
                        ResourceLogs.Builder b = rl.toBuilder().clearScopeLogs();
                        grouped(u).forEach((scope, items) -> b.addScopeLogs(rl.getScopeLogs(scope).toBuilder()
                                .clearLogRecords().addAllLogRecords(items.stream().map(LogRecord.class::cast).toList())));
                        return ExportLogsServiceRequest.newBuilder().addResourceLogs(b).build();
                    }, fits, records, tooLarge, true);
                }
            }
        }
        return new Fitted(records, tooLarge);
    }

    /**
     * Adds {@code units} as one record when it fits, else halves them (a metric's data points too) and tries
     * again: O(n log n) bytes encoded, and every piece keeps its resource, scope and key. When even the resource
     * with no items does not fit ({@code top} call only), all its items are refused as one.
     */
    private void pack(String key, List<Unit> units, Function<List<Unit>, Message> build,
            Predicate<KeyedRecord> fits, List<KeyedRecord> records, List<TooLarge> tooLarge,
            boolean top) throws IOException {
        if (units.isEmpty()) {
            return;
        }
        KeyedRecord record = new KeyedRecord(key, bytes(build.apply(units)));
        if (fits.test(record)) {
            records.add(record);
            return;
        }
        if (top) {
            KeyedRecord envelope = new KeyedRecord(key, bytes(build.apply(List.of())));
            if (!fits.test(envelope)) {
                tooLarge.add(new TooLarge(envelope, units.stream().mapToLong(OtlpProtoEncoding::items).sum()));
                return;
            }
        }
        List<Unit> halves = units;
        if (units.size() == 1) {
            halves = splitPoints(units.get(0));
            if (halves.size() < 2) {
                tooLarge.add(new TooLarge(record, 1));
                return;
            }
        }
        int mid = halves.size() / 2;
        pack(key, List.copyOf(halves.subList(0, mid)), build, fits, records, tooLarge, false);
        pack(key, List.copyOf(halves.subList(mid, halves.size())), build, fits, records, tooLarge, false);
    }

    /** Spans, log records or data points in a unit (OTLP partial_success counts these). */
    private static long items(Unit unit) {
        return unit.item() instanceof Metric m ? OtlpValidation.items(m) : 1;
    }

    /** Units in scope order, grouped by scope. */
    private static Map<Integer, List<Message>> grouped(List<Unit> units) {
        Map<Integer, List<Message>> byScope = new TreeMap<>();
        for (Unit u : units) {
            byScope.computeIfAbsent(u.scope(), s -> new ArrayList<>()).add(u.item());
        }
        return byScope;
    }

    /**
     * The metrics of {@code units}, pieces of the same metric next to each other merged back into one (each run
     * is built once: linear in the number of data points).
     */
    private static List<Metric> merged(List<Unit> units) {
        List<Metric> out = new ArrayList<>();
        int start = 0;
        while (start < units.size()) {
            int end = start + 1;
            while (end < units.size() && units.get(end).origin() >= 0
                    && units.get(end).origin() == units.get(start).origin()) {
                end++;
            }
            out.add(end - start == 1 ? (Metric) units.get(start).item() : joined(units.subList(start, end)));
            start = end;
        }
        return out;
    }

    /** Pieces of one metric (same name and type) as one metric holding all their data points, in order. */
    private static Metric joined(List<Unit> pieces) {
        Metric first = (Metric) pieces.get(0).item();
        Metric.Builder b = first.toBuilder();
        switch (first.getDataCase()) {
            case GAUGE -> b.getGaugeBuilder().clearDataPoints().addAllDataPoints(pieces.stream()
                    .flatMap(p -> ((Metric) p.item()).getGauge().getDataPointsList().stream()).toList());
            case SUM -> b.getSumBuilder().clearDataPoints().addAllDataPoints(pieces.stream()
                    .flatMap(p -> ((Metric) p.item()).getSum().getDataPointsList().stream()).toList());
            case HISTOGRAM -> b.getHistogramBuilder().clearDataPoints().addAllDataPoints(pieces.stream()
                    .flatMap(p -> ((Metric) p.item()).getHistogram().getDataPointsList().stream()).toList());
            case EXPONENTIAL_HISTOGRAM -> b.getExponentialHistogramBuilder().clearDataPoints().addAllDataPoints(
                    pieces.stream().flatMap(p -> ((Metric) p.item()).getExponentialHistogram().getDataPointsList()
                            .stream()).toList());
            case SUMMARY -> b.getSummaryBuilder().clearDataPoints().addAllDataPoints(pieces.stream()
                    .flatMap(p -> ((Metric) p.item()).getSummary().getDataPointsList().stream()).toList());
            default -> {
                return first;
            }
        }
        return b.build();
    }

    /**
     * A metric unit as one unit per data point (same name, type and metadata; each built from one empty shell, so
     * linear in the number of points); any other unit as itself.
     */
    private static List<Unit> splitPoints(Unit unit) {
        if (!(unit.item() instanceof Metric m)) {
            return List.of(unit);
        }
        List<Unit> out = new ArrayList<>();
        Consumer<Metric> add = piece -> out.add(new Unit(unit.scope(), piece, unit.origin()));
        switch (m.getDataCase()) {
            case GAUGE -> {
                var shell = m.getGauge().toBuilder().clearDataPoints().build();
                Metric base = m.toBuilder().setGauge(shell).build();
                m.getGauge().getDataPointsList().forEach(p -> add.accept(
                        base.toBuilder().setGauge(shell.toBuilder().addDataPoints(p)).build()));
            }
            case SUM -> {
                var shell = m.getSum().toBuilder().clearDataPoints().build();
                Metric base = m.toBuilder().setSum(shell).build();
                m.getSum().getDataPointsList().forEach(p -> add.accept(
                        base.toBuilder().setSum(shell.toBuilder().addDataPoints(p)).build()));
            }
            case HISTOGRAM -> {
                var shell = m.getHistogram().toBuilder().clearDataPoints().build();
                Metric base = m.toBuilder().setHistogram(shell).build();
                m.getHistogram().getDataPointsList().forEach(p -> add.accept(
                        base.toBuilder().setHistogram(shell.toBuilder().addDataPoints(p)).build()));
            }
            case EXPONENTIAL_HISTOGRAM -> {
                var shell = m.getExponentialHistogram().toBuilder().clearDataPoints().build();
                Metric base = m.toBuilder().setExponentialHistogram(shell).build();
                m.getExponentialHistogram().getDataPointsList().forEach(p -> add.accept(
                        base.toBuilder().setExponentialHistogram(shell.toBuilder().addDataPoints(p)).build()));
            }
            case SUMMARY -> {
                var shell = m.getSummary().toBuilder().clearDataPoints().build();
                Metric base = m.toBuilder().setSummary(shell).build();
                m.getSummary().getDataPointsList().forEach(p -> add.accept(
                        base.toBuilder().setSummary(shell.toBuilder().addDataPoints(p)).build()));
            }
            default -> out.add(unit);
        }
        return out.isEmpty() ? List.of(unit) : out;
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
