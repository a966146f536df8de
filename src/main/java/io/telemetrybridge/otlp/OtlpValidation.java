package io.telemetrybridge.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.telemetrybridge.model.Signal;
import java.util.List;
import java.util.function.Predicate;

/**
 * Per-item checks behind OTLP's {@code partial_success}: items that break a rule are left out and counted, the
 * rest is published. A span needs a 16-byte trace id and an 8-byte span id, neither all zeros, and an empty or
 * 8-byte parent span id; a log record's trace and span ids are empty or 16 and 8 bytes; histogram points
 * must be consistent (see {@link #VALID_HISTOGRAM}). (OTLP/JSON ids of the
 * wrong length are already refused while reading, with 400.) Source: OpenTelemetry trace API (valid
 * SpanContext), opentelemetry-proto trace.proto and logs.proto field comments.
 */
public final class OtlpValidation {

    /** The data points of a metric, as partial_success counts them: a metric without data counts one. */
    public static long items(Metric m) {
        int points = switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsCount();
            case SUM -> m.getSum().getDataPointsCount();
            case HISTOGRAM -> m.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> m.getSummary().getDataPointsCount();
            default -> 0;
        };
        return Math.max(points, 1);
    }

    /** Spans, metric data points (a metric without data counts one) or log records in a request. */
    public static long items(Signal signal, Message request) {
        long n = 0;
        switch (signal) {
            case TRACES -> {
                for (ResourceSpans rs : ((ExportTraceServiceRequest) request).getResourceSpansList()) {
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        n += ss.getSpansCount();
                    }
                }
            }
            case METRICS -> {
                for (ResourceMetrics rm : ((ExportMetricsServiceRequest) request).getResourceMetricsList()) {
                    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                        for (Metric m : sm.getMetricsList()) {
                            n += items(m);
                        }
                    }
                }
            }
            case LOGS -> {
                for (ResourceLogs rl : ((ExportLogsServiceRequest) request).getResourceLogsList()) {
                    for (ScopeLogs sl : rl.getScopeLogsList()) {
                        n += sl.getLogRecordsCount();
                    }
                }
            }
        }
        return n;
    }

    /** The request with invalid items removed, how many were removed, and why. */
    public record Result(Message request, long rejected, String message) {}

    private OtlpValidation() {}

    public static Result check(Signal signal, Message request) {
        return switch (signal) {
            case TRACES -> spans((ExportTraceServiceRequest) request);
            case LOGS -> logs((ExportLogsServiceRequest) request);
            case METRICS -> metrics((ExportMetricsServiceRequest) request);
        };
    }

    private static final Predicate<Span> VALID_SPAN = s -> validId(s.getTraceId(), 16) && validId(s.getSpanId(), 8)
            && (s.getParentSpanId().isEmpty() || s.getParentSpanId().size() == 8);

    private static final Predicate<LogRecord> VALID_LOG = l -> (l.getTraceId().isEmpty() || l.getTraceId().size() == 16)
            && (l.getSpanId().isEmpty() || l.getSpanId().size() == 8);

    private static Result spans(ExportTraceServiceRequest request) {
        long invalid = request.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
                .flatMap(ss -> ss.getSpansList().stream()).filter(VALID_SPAN.negate()).count();
        if (invalid == 0) {
            return new Result(request, 0, null);
        }
        ExportTraceServiceRequest.Builder b = request.toBuilder().clearResourceSpans();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            ResourceSpans.Builder rb = rs.toBuilder().clearScopeSpans();
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                rb.addScopeSpans(ss.toBuilder().clearSpans().addAllSpans(ss.getSpansList().stream()
                        .filter(VALID_SPAN).toList()));
            }
            b.addResourceSpans(rb);
        }
        return new Result(b.build(), invalid, invalid + " span(s) rejected: trace_id must be 16 bytes and span_id 8 "
                + "bytes, neither all zeros; parent_span_id empty or 8 bytes");
    }

    private static Result logs(ExportLogsServiceRequest request) {
        long invalid = request.getResourceLogsList().stream().flatMap(rl -> rl.getScopeLogsList().stream())
                .flatMap(sl -> sl.getLogRecordsList().stream()).filter(VALID_LOG.negate()).count();
        if (invalid == 0) {
            return new Result(request, 0, null);
        }
        ExportLogsServiceRequest.Builder b = request.toBuilder().clearResourceLogs();
        for (ResourceLogs rl : request.getResourceLogsList()) {
            ResourceLogs.Builder rb = rl.toBuilder().clearScopeLogs();
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                rb.addScopeLogs(sl.toBuilder().clearLogRecords().addAllLogRecords(sl.getLogRecordsList().stream()
                        .filter(VALID_LOG).toList()));
            }
            b.addResourceLogs(rb);
        }
        return new Result(b.build(), invalid, invalid + " log record(s) rejected: trace_id must be empty or 16 "
                + "bytes, span_id empty or 8 bytes");
    }

    /**
     * A histogram point needs 0 or bounds+1 bucket counts and strictly increasing bounds; an exponential
     * histogram point a scale from -10 to 20. Source: opentelemetry-proto metrics.proto.
     */
    private static final Predicate<HistogramDataPoint> VALID_HISTOGRAM = p -> {
        if (p.getBucketCountsCount() != 0 && p.getBucketCountsCount() != p.getExplicitBoundsCount() + 1) {
            return false;
        }
        for (int i = 1; i < p.getExplicitBoundsCount(); i++) {
            if (!(p.getExplicitBounds(i - 1) < p.getExplicitBounds(i))) {
                return false;
            }
        }
        return true;
    };

    private static final Predicate<ExponentialHistogramDataPoint> VALID_EXPONENTIAL =
            p -> p.getScale() >= -10 && p.getScale() <= 20;

    private static Result metrics(ExportMetricsServiceRequest request) {
        long invalid = request.getResourceMetricsList().stream().flatMap(rm -> rm.getScopeMetricsList().stream())
                .flatMap(sm -> sm.getMetricsList().stream()).mapToLong(OtlpValidation::invalidPoints).sum();
        if (invalid == 0) {
            return new Result(request, 0, null);
        }
        ExportMetricsServiceRequest.Builder b = request.toBuilder();
        for (ResourceMetrics.Builder rm : b.getResourceMetricsBuilderList()) {
            for (ScopeMetrics.Builder sm : rm.getScopeMetricsBuilderList()) {
                for (Metric.Builder m : sm.getMetricsBuilderList()) {
                    if (m.hasHistogram()) {
                        List<HistogramDataPoint> keep = m.getHistogram().getDataPointsList().stream()
                                .filter(VALID_HISTOGRAM).toList();
                        m.getHistogramBuilder().clearDataPoints().addAllDataPoints(keep);
                    } else if (m.hasExponentialHistogram()) {
                        List<ExponentialHistogramDataPoint> keep = m.getExponentialHistogram().getDataPointsList()
                                .stream().filter(VALID_EXPONENTIAL).toList();
                        m.getExponentialHistogramBuilder().clearDataPoints().addAllDataPoints(keep);
                    }
                }
            }
        }
        return new Result(b.build(), invalid, invalid + " data point(s) rejected: a histogram needs 0 or "
                + "len(explicit_bounds)+1 bucket_counts and increasing bounds; an exponential histogram a scale "
                + "from -10 to 20");
    }

    private static long invalidPoints(Metric m) {
        if (m.hasHistogram()) {
            return m.getHistogram().getDataPointsList().stream().filter(VALID_HISTOGRAM.negate()).count();
        }
        if (m.hasExponentialHistogram()) {
            return m.getExponentialHistogram().getDataPointsList().stream().filter(VALID_EXPONENTIAL.negate())
                    .count();
        }
        return 0;
    }

    private static boolean validId(ByteString id, int length) {
        if (id.size() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (id.byteAt(i) != 0) {
                return true;
            }
        }
        return false;
    }
}
