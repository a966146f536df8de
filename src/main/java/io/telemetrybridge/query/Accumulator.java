package io.telemetrybridge.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The running state of one aggregation over one group of matching records. Numeric functions read
 * {@link Fields#number} and skip records where the field is absent or not numeric; memory grows with the
 * values kept (Median, Percentile, Histogram by bucket count), the distinct texts (Cardinality) or the
 * non-empty buckets (Histogram by interval), never with the records skipped.
 */
abstract class Accumulator {

    final AggregationSpec spec;

    Accumulator(AggregationSpec spec) {
        this.spec = spec;
    }

    static Accumulator of(AggregationSpec spec) {
        return switch (spec.function()) {
            case COUNT -> new Count(spec);
            case SUM, AVERAGE, MIN, MAX -> new Stats(spec);
            case MEDIAN, PERCENTILE -> new Values(spec);
            case HISTOGRAM -> spec.interval() != null ? new IntervalHistogram(spec) : new Values(spec);
            case CARDINALITY -> new Cardinality(spec);
        };
    }

    abstract void add(JsonNode record);

    /** The aggregation's value: a number, null when there were no values, or a histogram's bucket array. */
    abstract JsonNode value(JsonNodeFactory json);

    double number(JsonNode record) {
        return Fields.number(Fields.resolve(record, spec.field()));
    }

    /** A finite double, or null: JSON has no NaN or Infinity (a Sum can overflow). */
    static JsonNode finite(JsonNodeFactory json, double d) {
        return Double.isFinite(d) ? json.numberNode(d) : NullNode.getInstance();
    }

    static ArrayNode bucket(ArrayNode buckets, double lower, double upper, long count) {
        ObjectNode bucket = buckets.addObject();
        bucket.set("lower", finite(JsonNodeFactory.instance, lower));
        bucket.set("upper", finite(JsonNodeFactory.instance, upper));
        bucket.put("count", count);
        return buckets;
    }

    /** Count of records where the field exists, or of all records for Count("") and Count("*"). */
    static final class Count extends Accumulator {
        private long count;

        Count(AggregationSpec spec) { super(spec); }

        void add(JsonNode record) {
            if (spec.countsAll() || Fields.resolve(record, spec.field()) != null) {
                count++;
            }
        }

        JsonNode value(JsonNodeFactory json) { return json.numberNode(count); }
    }

    /** Sum, Average, Min and Max in constant memory; the sum is compensated (Neumaier) to limit rounding. */
    static final class Stats extends Accumulator {
        private long count;
        private double sum;
        private double compensation;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;

        Stats(AggregationSpec spec) { super(spec); }

        void add(JsonNode record) {
            double v = number(record);
            if (Double.isNaN(v)) {
                return;
            }
            count++;
            double t = sum + v;
            compensation += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }

        JsonNode value(JsonNodeFactory json) {
            double total = sum + compensation;
            return switch (spec.function()) {
                case SUM -> finite(json, count == 0 ? 0 : total);
                case AVERAGE -> count == 0 ? NullNode.getInstance() : finite(json, total / count);
                case MIN -> count == 0 ? NullNode.getInstance() : json.numberNode(min);
                default -> count == 0 ? NullNode.getInstance() : json.numberNode(max);
            };
        }
    }

    /** Keeps every value: Median and Percentile (linear between closest ranks) and equal-width Histogram. */
    static final class Values extends Accumulator {
        private double[] values = new double[16];
        private int size;

        Values(AggregationSpec spec) { super(spec); }

        void add(JsonNode record) {
            double v = number(record);
            if (Double.isNaN(v)) {
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        JsonNode value(JsonNodeFactory json) {
            Arrays.sort(values, 0, size);
            if (spec.function() == AggregationSpec.Function.HISTOGRAM) {
                return histogram(json);
            }
            if (size == 0) {
                return NullNode.getInstance();
            }
            // numpy's default ("linear", Hyndman & Fan R-7): rank h = (n - 1) p / 100, interpolate around it.
            double h = (size - 1) * spec.percentile() / 100;
            int lo = (int) Math.floor(h);
            int hi = Math.min(lo + 1, size - 1);
            double fraction = h - lo;
            return finite(json, fraction == 0 ? values[lo] : values[lo] + fraction * (values[hi] - values[lo]));
        }

        /** {@code buckets} equal-width buckets from the smallest to the largest value; the last one includes it. */
        private JsonNode histogram(JsonNodeFactory json) {
            ArrayNode buckets = json.arrayNode();
            if (size == 0) {
                return buckets;
            }
            double min = values[0];
            double max = values[size - 1];
            int n = spec.buckets();
            double width = (max - min) / n;
            if (width == 0 || !Double.isFinite(width)) {
                return bucket(buckets, min, max, size);
            }
            long[] counts = new long[n];
            for (int i = 0; i < size; i++) {
                counts[Math.min(n - 1, (int) ((values[i] - min) / width))]++;
            }
            for (int i = 0; i < n; i++) {
                bucket(buckets, min + i * width, i == n - 1 ? max : min + (i + 1) * width, counts[i]);
            }
            return buckets;
        }
    }

    /** Fixed-width buckets {@code [k * interval, (k + 1) * interval)}, only those that received a value. */
    static final class IntervalHistogram extends Accumulator {
        /** Most buckets one histogram answers; past it (or past exact bucket indexes) its value is null. */
        static final int MAX_BUCKETS = 10_000;
        private final TreeMap<Long, long[]> counts = new TreeMap<>();
        private boolean tooFine;

        IntervalHistogram(AggregationSpec spec) { super(spec); }

        void add(JsonNode record) {
            double v = number(record);
            if (!Double.isNaN(v) && !tooFine) {
                double k = Math.floor(v / spec.interval());
                // Beyond 2^53 bucket indexes are no longer exact integers, so the buckets would be wrong.
                if (Math.abs(k) > (1L << 53) || counts.size() >= MAX_BUCKETS && !counts.containsKey((long) k)) {
                    tooFine = true;
                    counts.clear();
                    return;
                }
                // The bucket index, not its lower bound, is the key: k * 0.1 is not exact, k is.
                counts.computeIfAbsent((long) k, key -> new long[1])[0]++;
            }
        }

        JsonNode value(JsonNodeFactory json) {
            if (tooFine) {
                return json.nullNode();
            }
            ArrayNode buckets = json.arrayNode();
            for (Map.Entry<Long, long[]> e : counts.entrySet()) {
                double lower = e.getKey() * spec.interval();
                bucket(buckets, lower, (e.getKey() + 1.0) * spec.interval(), e.getValue()[0]);
            }
            return buckets;
        }
    }

    /** Distinct text forms of the field where it exists (an array or object counts by its JSON text). */
    static final class Cardinality extends Accumulator {
        private final Set<String> seen = new HashSet<>();

        Cardinality(AggregationSpec spec) { super(spec); }

        void add(JsonNode record) {
            JsonNode node = Fields.resolve(record, spec.field());
            if (node != null) {
                String text = Fields.text(node);
                seen.add(text != null ? text : node.toString());
            }
        }

        JsonNode value(JsonNodeFactory json) { return json.numberNode((long) seen.size()); }
    }
}
