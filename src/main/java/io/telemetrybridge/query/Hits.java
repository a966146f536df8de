package io.telemetrybridge.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The matching records of one query: every match feeds the aggregations and the count, and only the first
 * {@code offset + limit} in result order (event time, then partition, offset and item) are kept, so memory stays
 * bounded by {@code bridge.query.max-result-window}. Thread-safe: the partitions of a query are read in parallel.
 */
final class Hits {

    /**
     * One matching record and where it was read; {@code item} tells apart the records one Kafka record holds
     * (an OTLP request written with {@code otlp_proto} or {@code otlp_json}).
     */
    record Hit(long eventNanos, int partition, long offset, int item, JsonNode record) {}

    static final Comparator<Hit> ORDER = Comparator.comparingLong(Hit::eventNanos)
            .thenComparingInt(Hit::partition).thenComparingLong(Hit::offset).thenComparingInt(Hit::item);

    private final int window;
    private final Aggregations aggregations;
    // The largest kept hit on top, so it is the one dropped when a smaller one comes.
    private final PriorityQueue<Hit> kept;
    private long matched;

    Hits(int window, Aggregations aggregations) {
        this.window = window;
        this.aggregations = aggregations;
        this.kept = new PriorityQueue<>(Math.max(1, Math.min(window, 1024)), ORDER.reversed());
    }

    synchronized void add(Hit hit) {
        matched++;
        aggregations.add(hit.record());
        if (window == 0) {
            return;
        }
        if (kept.size() < window) {
            kept.add(hit);
        } else if (ORDER.compare(hit, kept.peek()) < 0) {
            kept.poll();
            kept.add(hit);
        }
    }

    synchronized long matched() {
        return matched;
    }

    /** The hits from position {@code offset} on, at most {@code limit}, in result order. */
    synchronized List<Hit> page(int offset, int limit) {
        List<Hit> all = new ArrayList<>(kept);
        all.sort(ORDER);
        return all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
    }

    Aggregations aggregations() {
        return aggregations;
    }
}
