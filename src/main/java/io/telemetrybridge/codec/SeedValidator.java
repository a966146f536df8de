package io.telemetrybridge.codec;

import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.model.LogData;
import io.telemetrybridge.model.MetricData;
import io.telemetrybridge.model.MetricValue;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.SpanEvent;
import io.telemetrybridge.model.SpanLink;
import io.telemetrybridge.model.TelemetryBatch;
import io.telemetrybridge.model.TraceData;
import java.util.List;
import java.util.Locale;

/**
 * The rules binding cannot express: fields that are required in the seed (not {@code Option}) are present,
 * a metric's value variant matches its {@code metric_type}, u64 counts are not negative. Collections the seed
 * declares (labels, attributes, events, links, metadata) may be omitted and read as empty. Paths use wire
 * names. Source: docs/seed-api.md, "Validation".
 */
final class SeedValidator {

    private SeedValidator() {}

    static void validate(Signal signal, TelemetryBatch<?> batch) {
        required(batch.id(), "id");
        required(batch.timestamp(), "timestamp");
        List<?> items = batch.items();
        // Without its list a batch would be "accepted" with nothing in it: a batch posted to the wrong endpoint.
        required(items, signal.id());
        for (int i = 0; i < items.size(); i++) {
            validateItem(signal, items.get(i), signal.id() + "[" + i + "]");
        }
    }

    static void validateItem(Signal signal, Object item, String path) {
        if (item == null) {
            throw new InvalidInputException(path, "expected an object, got null");
        }
        switch (signal) {
            case METRICS -> metric((MetricData) item, path);
            case TRACES -> span((TraceData) item, path);
            case LOGS -> log((LogData) item, path);
        }
    }

    private static void metric(MetricData m, String path) {
        requiredText(m.name(), at(path, "name"));
        required(m.metricType(), at(path, "metric_type"));
        required(m.value(), at(path, "value"));
        required(m.timestamp(), at(path, "timestamp"));
        finite(m.value(), at(path, "value"));
        if (m.value().type() != m.metricType()) {
            throw new InvalidInputException(at(path, "value"), "a " + variant(m.value()) + " value does not match "
                    + "metric_type " + variant(m.metricType()));
        }
        if (m.value() instanceof MetricValue.Histogram h) {
            String hp = at(path, "value.Histogram");
            notNegative(h.count(), at(hp, "count"));
            required(h.buckets(), at(hp, "buckets"));
            for (int i = 0; i < h.buckets().size(); i++) {
                MetricValue.Bucket b = h.buckets().get(i);
                required(b, hp + ".buckets[" + i + "]");
                notNegative(b.count(), hp + ".buckets[" + i + "].count");
            }
        } else if (m.value() instanceof MetricValue.Summary s) {
            String sp = at(path, "value.Summary");
            notNegative(s.count(), at(sp, "count"));
            required(s.quantiles(), at(sp, "quantiles"));
            for (int i = 0; i < s.quantiles().size(); i++) {
                MetricValue.Quantile q = s.quantiles().get(i);
                required(q, sp + ".quantiles[" + i + "]");
                if (q.quantile() < 0 || q.quantile() > 1) {
                    throw new InvalidInputException(sp + ".quantiles[" + i + "].quantile",
                            "expected a number between 0 and 1, got " + q.quantile());
                }
            }
        }
    }

    private static void span(TraceData t, String path) {
        hexId(t.traceId(), 32, at(path, "trace_id"));
        hexId(t.spanId(), 16, at(path, "span_id"));
        if (t.parentSpanId() != null) {
            hexId(t.parentSpanId(), 16, at(path, "parent_span_id"));
        }
        requiredText(t.name(), at(path, "name"));
        required(t.kind(), at(path, "kind"));
        required(t.startTime(), at(path, "start_time"));
        required(t.status(), at(path, "status"));
        required(t.status().code(), at(path, "status.code"));
        if (t.durationNs() != null) {
            notNegative(t.durationNs(), at(path, "duration_ns"));
        }
        if (t.endTime() != null && t.endTime().isBefore(t.startTime())) {
            throw new InvalidInputException(at(path, "end_time"), "is before start_time");
        }
        for (int i = 0; i < t.events().size(); i++) {
            SpanEvent e = t.events().get(i);
            String ep = path + (path.isEmpty() ? "" : ".") + "events[" + i + "]";
            required(e, ep);
            requiredText(e.name(), at(ep, "name"));
            required(e.timestamp(), at(ep, "timestamp"));
        }
        for (int i = 0; i < t.links().size(); i++) {
            SpanLink l = t.links().get(i);
            String lp = path + (path.isEmpty() ? "" : ".") + "links[" + i + "]";
            required(l, lp);
            hexId(l.traceId(), 32, at(lp, "trace_id"));
            hexId(l.spanId(), 16, at(lp, "span_id"));
        }
    }

    private static void log(LogData l, String path) {
        required(l.timestamp(), at(path, "timestamp"));
        required(l.level(), at(path, "level"));
        required(l.message(), at(path, "message"));
        if (l.severityNumber() != null && (l.severityNumber() < 1 || l.severityNumber() > 24)) {
            throw new InvalidInputException(at(path, "severity_number"),
                    "expected an integer from 1 to 24 (OpenTelemetry severity), got " + l.severityNumber());
        }
    }

    /** JSON cannot carry NaN or infinity; an overflowing literal such as 1e400 must not become one. */
    private static void finite(MetricValue value, String path) {
        if (value instanceof MetricValue.Counter c) {
            finite(c.value(), path + ".Counter");
        } else if (value instanceof MetricValue.Gauge g) {
            finite(g.value(), path + ".Gauge");
        } else if (value instanceof MetricValue.Histogram h) {
            finite(h.sum(), path + ".Histogram.sum");
            for (int i = 0; h.buckets() != null && i < h.buckets().size(); i++) {
                if (h.buckets().get(i) != null) {
                    finite(h.buckets().get(i).upperBound(), path + ".Histogram.buckets[" + i + "].upper_bound");
                }
            }
        } else if (value instanceof MetricValue.Summary s) {
            finite(s.sum(), path + ".Summary.sum");
            for (int i = 0; s.quantiles() != null && i < s.quantiles().size(); i++) {
                if (s.quantiles().get(i) != null) {
                    finite(s.quantiles().get(i).value(), path + ".Summary.quantiles[" + i + "].value");
                }
            }
        }
    }

    private static void finite(double value, String path) {
        if (!Double.isFinite(value)) {
            throw new InvalidInputException(path, "expected a finite number, got " + value);
        }
    }

    private static String at(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static void required(Object value, String path) {
        if (value == null) {
            throw new InvalidInputException(path, "required field is missing or null");
        }
    }

    private static void requiredText(String value, String path) {
        required(value, path);
        if (value.isBlank()) {
            throw new InvalidInputException(path, "must not be empty");
        }
    }

    /**
     * A W3C Trace Context id: {@code length} hex digits, not all zero (OTLP's rule for trace and span ids). Upper
     * case is accepted; the model stores ids in lower case, so a trace is one key on Kafka however it was sent.
     */
    private static void hexId(String value, int length, String path) {
        requiredText(value, path);
        if (value.length() != length || !value.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new InvalidInputException(path, "expected " + length + " hex digits, got '"
                    + (value.length() > 64 ? value.substring(0, 64) + "..." : value) + "'");
        }
        if (value.chars().allMatch(c -> c == '0')) {
            throw new InvalidInputException(path, "must not be all zeros (an invalid id in W3C Trace Context)");
        }
    }

    private static void notNegative(long value, String path) {
        if (value < 0) {
            throw new InvalidInputException(path, "expected a non-negative integer, got " + value);
        }
    }

    private static String variant(Object value) {
        String name = value instanceof Enum<?> e ? e.name() : ((MetricValue) value).type().name();
        return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
    }
}
