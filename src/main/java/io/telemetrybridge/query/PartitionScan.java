package io.telemetrybridge.query;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads offset ranges of a topic's partitions with one consumer, up to a deadline and a shared budget of
 * records. The ranges come from {@link #plan}: record timestamps mapped to offsets with Kafka's
 * {@code offsetsForTimes}, so only the needed part of each partition is read.
 */
final class PartitionScan {

    /** Offsets {@code [from, to)} of one partition. */
    record Range(TopicPartition partition, long from, long to) {
        boolean isEmpty() {
            return from >= to;
        }
    }

    /** What one consumer got through: ranges it did not finish, with how far it read each. */
    record Outcome(List<String> unfinished, boolean budgetSpent) {}

    /** Receives each record of a range in offset order. */
    interface RecordSink {
        void accept(ConsumerRecord<byte[], byte[]> record);
    }

    private PartitionScan() {}

    /**
     * The offset ranges holding the records whose Kafka timestamp lies in {@code [fromMs, toMs)}, per partition
     * (only the partition Kafka's default partitioner maps {@code key} to, when it is not null); the end is capped at the end offsets now, so records
     * acknowledged before the call are included and later ones are not.
     *
     * @return the ranges, or null when the topic does not exist
     * @throws org.apache.kafka.common.errors.TimeoutException when Kafka does not answer within {@code timeout}
     */
    static List<Range> plan(Consumer<byte[], byte[]> consumer, String topic, long fromMs, long toMs,
            byte[] key, Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            return null;
        }
        // The producer's rule for keyed records (murmur2 of the key bytes); it holds while the partition count
        // stays what it was when the records were written.
        int only = key == null ? -1 : Utils.toPositive(Utils.murmur2(key)) % infos.size();
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : infos) {
            if (only < 0 || info.partition() == only) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, OffsetAndTimestamp> from = fromMs > 0 ? consumer.offsetsForTimes(at(partitions, fromMs),
                timeout) : Map.of();
        Map<TopicPartition, OffsetAndTimestamp> to = toMs < Long.MAX_VALUE
                ? consumer.offsetsForTimes(at(partitions, toMs), timeout) : Map.of();
        List<Range> ranges = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            long last = end.get(tp);
            // No record at or after fromMs: nothing to read; no record at or after toMs: read to the end.
            long start = fromMs > 0 ? offsetOr(from.get(tp), last) : begin.get(tp);
            long stop = toMs < Long.MAX_VALUE ? Math.min(last, offsetOr(to.get(tp), last)) : last;
            ranges.add(new Range(tp, Math.max(start, begin.get(tp)), stop));
        }
        return ranges;
    }

    /**
     * Reads {@code ranges} with {@code consumer}, all partitions at once (several ranges of one partition one
     * after the other, in the order given), handing each record to {@code sink}; stops at {@code deadlineNanos}
     * ({@link System#nanoTime()}) or when {@code budget} is spent. {@code fetched} is told how long each Kafka
     * read (poll) took, in nanoseconds.
     */
    static Outcome read(Consumer<byte[], byte[]> consumer, List<Range> ranges, RecordSink sink, long deadlineNanos,
            AtomicLong budget, java.util.function.LongConsumer fetched) {
        Map<TopicPartition, Deque<Range>> queued = new HashMap<>();
        for (Range r : ranges) {
            if (!r.isEmpty()) {
                queued.computeIfAbsent(r.partition(), tp -> new ArrayDeque<>()).add(r);
            }
        }
        if (queued.isEmpty()) {
            return new Outcome(List.of(), false);
        }
        // Where each partition's current range has been read to.
        Map<TopicPartition, Long> reached = new HashMap<>();
        consumer.assign(queued.keySet());
        queued.forEach((tp, q) -> {
            consumer.seek(tp, q.peek().from());
            reached.put(tp, q.peek().from());
        });
        boolean spent = false;
        while (!queued.isEmpty() && !spent) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                break;
            }
            long polled = System.nanoTime();
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofNanos(Math.min(left, 200_000_000L)));
            fetched.accept(System.nanoTime() - polled);
            for (TopicPartition tp : batch.partitions()) {
                Deque<Range> q = queued.get(tp);
                if (q == null) {
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : batch.records(tp)) {
                    if (record.offset() < reached.get(tp)) {
                        continue;
                    }
                    if (record.offset() >= q.peek().to()) {
                        break;
                    }
                    if (budget.decrementAndGet() < 0) {
                        spent = true;
                        break;
                    }
                    sink.accept(record);
                    reached.put(tp, record.offset() + 1);
                }
                if (spent) {
                    break;
                }
            }
            // Positions also move over gaps (compaction, transaction markers) that yield no record.
            for (var it = queued.entrySet().iterator(); it.hasNext() && !spent; ) {
                var e = it.next();
                TopicPartition tp = e.getKey();
                Deque<Range> q = e.getValue();
                if (Math.max(reached.get(tp), consumer.position(tp)) < q.peek().to()) {
                    continue;
                }
                q.poll();
                if (q.isEmpty()) {
                    consumer.pause(List.of(tp));
                    it.remove();
                } else {
                    consumer.seek(tp, q.peek().from());
                    reached.put(tp, q.peek().from());
                }
            }
        }
        List<String> unfinished = new ArrayList<>();
        queued.forEach((tp, q) -> unfinished.add(tp + ": read offsets " + q.peek().from() + " to "
                + reached.get(tp) + " of " + q.peek().from() + " to " + q.getLast().to()));
        return new Outcome(unfinished, spent);
    }

    private static Map<TopicPartition, Long> at(List<TopicPartition> partitions, long ms) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, ms));
        return query;
    }

    private static long offsetOr(OffsetAndTimestamp found, long fallback) {
        return found == null ? fallback : found.offset();
    }
}
