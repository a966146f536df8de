package io.telemetrybridge.observe;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The seed's statistics ({@code GET /api/v1/stats}), computed from the meters {@code /observe/metrics} serves,
 * so both always agree (docs/operations.md):
 * <ul>
 *   <li>{@code total_writes}: write operations completed (HTTP requests, files, timer ticks whose records Kafka
 *       acknowledged); {@code average_write_time_ms}: their mean time from receipt to acknowledgement;</li>
 *   <li>{@code total_reads}: queries answered (not those refused with 429/503); {@code average_read_time_ms}
 *       their mean duration;</li>
 *   <li>{@code error_count}: records rejected as invalid, plus records dropped, plus records the producer
 *       failed to send, plus ingestion requests answered 503 (Kafka did not take them), plus queries refused
 *       (429/503);</li>
 *   <li>{@code messages_produced}, {@code bytes_produced}, {@code produce_errors},
 *       {@code average_produce_time_ms}: the producer's own Kafka client meters (record-send-total,
 *       outgoing-byte-total, record-error-total, request-latency-avg);</li>
 *   <li>{@code messages_consumed}: records queries read ({@code telemetry.bridge.query.records.scanned});
 *       {@code bytes_consumed}: the query consumers' Kafka client meter bytes-consumed-total;
 *       {@code average_consume_time_ms}: the mean time of one Kafka read of a query
 *       ({@code telemetry.bridge.query.fetch}; Kafka's own fetch-latency-avg also counted the time a pooled
 *       consumer sat idle with a fetch answered but not yet polled, seconds);
 *       {@code consume_errors}: records queries skipped as undecodable (poison records);</li>
 *   <li>with the spool on, {@code spool}: records spooled and replayed since the start, records and bytes held
 *       now, and the oldest held record's age in seconds (docs/delivery.md, "Spool").</li>
 * </ul>
 * Averages are null until there is something to average.
 */
public final class BridgeStats {

    private final BridgeMeters meters;

    public BridgeStats(BridgeMeters meters) {
        this.meters = meters;
    }

    /** The statistics as a JSON-ready map, in the order documented above. */
    public Map<String, Object> snapshot() {
        MeterRegistry r = meters.registry();
        Collection<Timer> writes = r.find(BridgeMeters.PUBLISH_LATENCY).timers();
        // Queries refused (429/503) are errors, not reads.
        Collection<Timer> reads = r.find(BridgeMeters.QUERY_DURATION).timers().stream()
                .filter(t -> !"rejected".equals(t.getId().getTag("status"))).toList();
        long refused = r.find(BridgeMeters.QUERY_DURATION).tag("status", "rejected").timers().stream()
                .mapToLong(Timer::count).sum();
        double produceErrors = sum(r, "kafka.producer.record.error.total");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total_writes", writes.stream().mapToLong(Timer::count).sum());
        out.put("total_reads", reads.stream().mapToLong(Timer::count).sum());
        out.put("error_count", (long) (counted(r, BridgeMeters.REJECTED) + counted(r, BridgeMeters.DROPPED)
                + counted(r, BridgeMeters.UNAVAILABLE) + produceErrors) + refused);
        out.put("average_write_time_ms", meanMs(writes));
        out.put("average_read_time_ms", meanMs(reads));
        out.put("records_accepted", (long) counted(r, BridgeMeters.ACCEPTED));
        out.put("records_rejected", (long) counted(r, BridgeMeters.REJECTED));
        out.put("records_dead_lettered", (long) counted(r, BridgeMeters.DEAD_LETTERED));
        out.put("records_dropped", (long) counted(r, BridgeMeters.DROPPED));
        out.put("messages_produced", (long) sum(r, "kafka.producer.record.send.total"));
        out.put("bytes_produced", (long) sum(r, "kafka.producer.outgoing.byte.total"));
        out.put("produce_errors", (long) produceErrors);
        out.put("average_produce_time_ms", average(r, "kafka.producer.request.latency.avg"));
        out.put("messages_consumed", (long) counted(r, BridgeMeters.QUERY_SCANNED));
        out.put("bytes_consumed", (long) sum(r, "kafka.consumer.fetch.manager.bytes.consumed.total"));
        out.put("consume_errors", (long) counted(r, BridgeMeters.QUERY_POISON));
        out.put("average_consume_time_ms", meanMs(r.find(BridgeMeters.QUERY_FETCH).timers()));
        Gauge held = r.find(BridgeMeters.SPOOL_RECORDS).gauge();
        if (held != null) {
            Map<String, Object> spool = new LinkedHashMap<>();
            spool.put("records_spooled", (long) counted(r, BridgeMeters.SPOOLED));
            spool.put("records_replayed", (long) counted(r, BridgeMeters.REPLAYED));
            spool.put("records_held", (long) held.value());
            spool.put("bytes_held", (long) r.find(BridgeMeters.SPOOL_BYTES).gauge().value());
            spool.put("oldest_age_seconds", (long) r.find(BridgeMeters.SPOOL_OLDEST).gauge().value());
            out.put("spool", spool);
        }
        return out;
    }

    private static double counted(MeterRegistry r, String name) {
        return r.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /**
     * Sum of a Kafka client meter over clients: the client-wide meters, or where there are none the per-topic
     * ones. Micrometer's Kafka binder keeps only the variant with the most tags of a name once both exist (the
     * consumer's bytes-consumed-total is both client-wide and per topic, so after the binder's first refresh only
     * the per-topic meters are left; summing client-wide ones alone then read 0).
     */
    static double sum(MeterRegistry r, String name) {
        double clientWide = 0;
        double perTopic = 0;
        boolean anyClientWide = false;
        for (Meter m : r.find(name).meters()) {
            if (m.getId().getTag("topic") == null) {
                clientWide += value(m);
                anyClientWide = true;
            } else if (m.getId().getTag("partition") == null) {
                perTopic += value(m);
            }
        }
        return anyClientWide ? clientWide : perTopic;
    }

    private static Double average(MeterRegistry r, String name) {
        double total = 0;
        int n = 0;
        for (Meter m : r.find(name).meters()) {
            double v = value(m);
            if (m.getId().getTag("topic") == null && Double.isFinite(v)) {
                total += v;
                n++;
            }
        }
        return n == 0 ? null : total / n;
    }

    private static double value(Meter m) {
        for (Measurement measurement : m.measure()) {
            if (measurement.getStatistic() == Statistic.COUNT || measurement.getStatistic() == Statistic.VALUE
                    || measurement.getStatistic() == Statistic.TOTAL) {
                return measurement.getValue();
            }
        }
        return Double.NaN;
    }

    private static Double meanMs(Collection<Timer> timers) {
        long count = timers.stream().mapToLong(Timer::count).sum();
        double total = timers.stream().mapToDouble(t -> t.totalTime(TimeUnit.MILLISECONDS)).sum();
        return count == 0 ? null : total / count;
    }
}
