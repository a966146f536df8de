package io.telemetrybridge.otlp;

import com.fasterxml.jackson.core.SerializableString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.telemetrybridge.kafka.RecordKeys;
import io.telemetrybridge.model.KeyedRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntToLongFunction;

/**
 * OTLP metric data points to JSON records, one per data point, keyed by resource identity, in the seed's
 * MetricData shape plus what OTLP carries beyond it. {@code labels} are the data point's attributes.
 * <ul>
 *   <li>gauge: {@code Gauge}; sum: {@code Counter} when monotonic, else {@code Gauge}, with
 *       {@code is_monotonic} and {@code aggregation_temporality}; integer points also carry the exact
 *       {@code value_int};</li>
 *   <li>histogram: {@code Histogram} whose {@code buckets} are the explicit bounds with their (non-cumulative)
 *       counts; the last, +Inf bucket is not in {@code buckets} (the seed's bounds are finite numbers) but is
 *       the last entry of {@code bucket_counts}, which has one more entry than {@code explicit_bounds};</li>
 *   <li>exponential histogram: {@code Histogram} whose {@code buckets} are the positive buckets with upper
 *       bound base^(index+1), base = 2^(2^-scale); the raw {@code scale}, {@code zero_count},
 *       {@code positive} and {@code negative} are kept;</li>
 *   <li>summary: {@code Summary} with its quantiles.</li>
 * </ul>
 * Source: opentelemetry-proto metrics/v1/metrics.proto; docs/seed-api.md, "Items" (MetricData.)
 */
final class MetricRecords {

    private MetricRecords() {}

    static List<KeyedRecord> encode(ExportMetricsServiceRequest request) throws IOException {
        List<KeyedRecord> records = new ArrayList<>();
        JsonOut out = JsonOut.ofThread();
        encode(request, out, records);
        return records;
    }

    private static void encode(ExportMetricsServiceRequest request, JsonOut out, List<KeyedRecord> records)
            throws IOException {
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            String key = RecordKeys.resource(rm.getResource());
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                SerializableString context = out.context(rm.getResource(), rm.getSchemaUrl(), sm.getScope(), sm.getSchemaUrl());
                for (Metric metric : sm.getMetricsList()) {
                    Context c = new Context(key, context, metric, out);
                    switch (metric.getDataCase()) {
                        case GAUGE -> {
                            for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
                                records.add(c.record(number(c, p, "Gauge", "gauge", null, null)));
                            }
                        }
                        case SUM -> {
                            var sum = metric.getSum();
                            String type = sum.getIsMonotonic() ? "Counter" : "Gauge";
                            for (NumberDataPoint p : sum.getDataPointsList()) {
                                records.add(c.record(number(c, p, type, "sum", sum.getAggregationTemporality(),
                                        sum.getIsMonotonic())));
                            }
                        }
                        case HISTOGRAM -> {
                            var h = metric.getHistogram();
                            for (HistogramDataPoint p : h.getDataPointsList()) {
                                records.add(c.record(histogram(c, p, h.getAggregationTemporality())));
                            }
                        }
                        case EXPONENTIAL_HISTOGRAM -> {
                            var h = metric.getExponentialHistogram();
                            for (ExponentialHistogramDataPoint p : h.getDataPointsList()) {
                                records.add(c.record(exponential(c, p, h.getAggregationTemporality())));
                            }
                        }
                        case SUMMARY -> {
                            for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
                                records.add(c.record(summary(c, p)));
                            }
                        }
                        case DATA_NOT_SET -> {
                            // A metric without data points has nothing to publish.
                        }
                    }
                }
            }
        }
    }

    /** The metric a data point belongs to, its record key and its rendered resource and scope. */
    private record Context(String key, SerializableString context, Metric metric, JsonOut out) {
        KeyedRecord record(byte[] value) {
            return new KeyedRecord(key, value);
        }

        /** Opens the record and writes the fields common to every kind of point. */
        JsonOut open(String metricType) throws IOException {
            var g = out.g;
            g.writeStartObject();
            g.writeStringField("name", metric.getName());
            out.text("description", metric.getDescription());
            out.text("unit", metric.getUnit());
            g.writeStringField("metric_type", metricType);
            return out;
        }

        /** Writes labels, timestamp and everything beyond the seed, then closes the record. */
        byte[] close(JsonOut out, String otlpType, long timeUnixNano, long startTimeUnixNano,
                List<KeyValue> attributes, int flags,
                AggregationTemporality temporality, List<Exemplar> exemplars) throws IOException {
            var g = out.g;
            out.attributes("labels", attributes);
            out.time("timestamp", timeUnixNano);
            g.writeStringField("otlp_type", otlpType);
            out.time("start_time", startTimeUnixNano);
            out.unsigned("time_unix_nano", timeUnixNano);
            out.unsigned("start_time_unix_nano", startTimeUnixNano);
            g.writeStringField("aggregation_temporality", temporality(temporality));
            out.uint32("flags", flags);
            g.writeArrayFieldStart("exemplars");
            for (Exemplar e : exemplars) {
                g.writeStartObject();
                out.time("timestamp", e.getTimeUnixNano());
                if (e.hasAsInt()) {
                    g.writeNumberField("value", e.getAsInt());
                } else {
                    out.number("value", e.getAsDouble());
                }
                out.hex("trace_id", e.getTraceId());
                out.hex("span_id", e.getSpanId());
                out.attributes("filtered_attributes", e.getFilteredAttributesList());
                g.writeEndObject();
            }
            g.writeEndArray();
            out.attributes("metadata", metric.getMetadataList());
            out.closeWith(context);
            return out.next();
        }
    }

    private static byte[] number(Context c, NumberDataPoint p, String metricType, String otlpType,
            AggregationTemporality temporality, Boolean monotonic) throws IOException {
        JsonOut out = c.open(metricType);
        var g = out.g;
        double value = p.hasAsInt() ? (double) p.getAsInt() : p.getAsDouble();
        g.writeObjectFieldStart("value");
        out.number(metricType, value);
        g.writeEndObject();
        if (p.hasAsInt()) {
            g.writeNumberField("value_int", p.getAsInt());
        }
        if (monotonic != null) {
            g.writeBooleanField("is_monotonic", monotonic);
        }
        return c.close(out, otlpType, p.getTimeUnixNano(), p.getStartTimeUnixNano(), p.getAttributesList(),
                p.getFlags(), temporality, p.getExemplarsList());
    }

    private static byte[] histogram(Context c, HistogramDataPoint p, AggregationTemporality temporality)
            throws IOException {
        JsonOut out = c.open("Histogram");
        var g = out.g;
        histogramValue(out, Math.min(p.getExplicitBoundsCount(), p.getBucketCountsCount()), p::getExplicitBounds,
                p::getBucketCounts, p.getSum(), p.getCount());
        g.writeArrayFieldStart("explicit_bounds");
        for (double bound : p.getExplicitBoundsList()) {
            g.writeNumber(bound);
        }
        g.writeEndArray();
        unsignedArray(out, "bucket_counts", p.getBucketCountsList());
        minMaxSum(out, p.hasSum(), p.hasMin(), p.getMin(), p.hasMax(), p.getMax());
        return c.close(out, "histogram", p.getTimeUnixNano(), p.getStartTimeUnixNano(), p.getAttributesList(),
                p.getFlags(), temporality, p.getExemplarsList());
    }

    private static byte[] exponential(Context c, ExponentialHistogramDataPoint p,
            AggregationTemporality temporality) throws IOException {
        JsonOut out = c.open("Histogram");
        var g = out.g;
        double base = Math.pow(2, Math.pow(2, -p.getScale()));
        var positive = p.getPositive();
        histogramValue(out, positive.getBucketCountsCount(), i -> Math.pow(base, (long) positive.getOffset() + i + 1),
                positive::getBucketCounts, p.getSum(), p.getCount());
        g.writeNumberField("scale", p.getScale());
        out.unsigned("zero_count", p.getZeroCount());
        out.number("zero_threshold", p.getZeroThreshold());
        for (String side : new String[] {"positive", "negative"}) {
            var buckets = side.equals("positive") ? p.getPositive() : p.getNegative();
            g.writeObjectFieldStart(side);
            g.writeNumberField("offset", buckets.getOffset());
            unsignedArray(out, "bucket_counts", buckets.getBucketCountsList());
            g.writeEndObject();
        }
        minMaxSum(out, p.hasSum(), p.hasMin(), p.getMin(), p.hasMax(), p.getMax());
        return c.close(out, "exponential_histogram", p.getTimeUnixNano(), p.getStartTimeUnixNano(),
                p.getAttributesList(), p.getFlags(), temporality, p.getExemplarsList());
    }

    private static byte[] summary(Context c, SummaryDataPoint p) throws IOException {
        JsonOut out = c.open("Summary");
        var g = out.g;
        g.writeObjectFieldStart("value");
        g.writeObjectFieldStart("Summary");
        g.writeArrayFieldStart("quantiles");
        for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
            g.writeStartObject();
            out.number("quantile", q.getQuantile());
            out.number("value", q.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
        out.number("sum", p.getSum());
        out.unsigned("count", p.getCount());
        g.writeEndObject();
        g.writeEndObject();
        return c.close(out, "summary", p.getTimeUnixNano(), p.getStartTimeUnixNano(), p.getAttributesList(),
                p.getFlags(), null, List.of());
    }

    /** The seed's {@code {"Histogram": {"buckets": [...], "sum": s, "count": n}}} value. */
    private static void histogramValue(JsonOut out, int buckets, IntToDoubleFunction upperBound,
            IntToLongFunction bucketCount, double sum, long count) throws IOException {
        var g = out.g;
        g.writeObjectFieldStart("value");
        g.writeObjectFieldStart("Histogram");
        g.writeArrayFieldStart("buckets");
        for (int i = 0; i < buckets; i++) {
            g.writeStartObject();
            out.number("upper_bound", upperBound.applyAsDouble(i));
            out.unsigned("count", bucketCount.applyAsLong(i));
            g.writeEndObject();
        }
        g.writeEndArray();
        out.number("sum", sum);
        out.unsigned("count", count);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void unsignedArray(JsonOut out, String field, List<Long> values) throws IOException {
        out.g.writeArrayFieldStart(field);
        for (long v : values) {
            out.unsigned(v);
        }
        out.g.writeEndArray();
    }

    /** Which of sum, min and max the point carries (all three are optional in OTLP histograms). */
    private static void minMaxSum(JsonOut out, boolean hasSum, boolean hasMin, double min, boolean hasMax,
            double max) throws IOException {
        out.g.writeBooleanField("has_sum", hasSum);
        if (hasMin) {
            out.number("min", min);
        } else {
            out.g.writeNullField("min");
        }
        if (hasMax) {
            out.number("max", max);
        } else {
            out.g.writeNullField("max");
        }
    }

    private static String temporality(AggregationTemporality t) {
        if (t == null) {
            return null;
        }
        return switch (t) {
            case AGGREGATION_TEMPORALITY_DELTA -> "delta";
            case AGGREGATION_TEMPORALITY_CUMULATIVE -> "cumulative";
            default -> null;
        };
    }
}
