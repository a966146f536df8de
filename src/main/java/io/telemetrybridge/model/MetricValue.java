package io.telemetrybridge.model;

import java.util.List;

/**
 * The value of a metric, one variant per {@link MetricType}. On the wire it is an externally tagged
 * object with exactly one key, as serde writes a data-carrying enum: {@code {"Gauge": 75.5}},
 * {@code {"Histogram": {"buckets": [...], "sum": 1.0, "count": 3}}}. Source: docs/seed-api.md, "Items" (MetricData.)
 */
public sealed interface MetricValue {

    /** The metric type this variant belongs to. */
    MetricType type();

    /** A monotonic counter reading. */
    record Counter(double value) implements MetricValue {
        public MetricType type() { return MetricType.COUNTER; }
    }

    /** A point-in-time reading. */
    record Gauge(double value) implements MetricValue {
        public MetricType type() { return MetricType.GAUGE; }
    }

    /** Bucketed distribution; {@code count} and bucket counts are non-negative (u64 in the seed). */
    record Histogram(List<Bucket> buckets, double sum, long count) implements MetricValue {
        public MetricType type() { return MetricType.HISTOGRAM; }
    }

    /** Quantile summary; {@code count} is non-negative (u64 in the seed). */
    record Summary(List<Quantile> quantiles, double sum, long count) implements MetricValue {
        public MetricType type() { return MetricType.SUMMARY; }
    }

    /** One histogram bucket: observations less than or equal to {@code upperBound}. */
    record Bucket(double upperBound, long count) {}

    /** One summary quantile, {@code quantile} in [0, 1]. */
    record Quantile(double quantile, double value) {}
}
