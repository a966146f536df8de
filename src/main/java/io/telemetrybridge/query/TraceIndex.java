package io.telemetrybridge.query;

import io.telemetrybridge.kafka.ProducedRecords;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each trace's spans are in the traces topic: for every partition, the offsets of the records whose key
 * (the trace id) hashes to a given 32-bit value. A background consumer tails the topic (no consumer group), so
 * the index rebuilds from Kafka at every start and holds at most {@code maxSpans} entries (20 bytes each; an
 * entry covers a run of one trace's consecutive spans): when
 * full, the oldest offsets are forgotten. It only narrows reads: {@link #lookup} says which offsets of a
 * partition it covers, and the caller reads the rest of the partition, so an answer never depends on the index
 * being complete or caught up.
 *
 * <p>What the bridge's own producers wrote to the topic it learns from their acknowledgements
 * ({@link ProducedRecords}) instead of reading it back: where the acknowledged offsets continue the partition
 * without a gap, the consumer skips over them, and while the bridge sends to the topic it pauses rather than
 * fetch what is about to be acknowledged. Records of other producers (another bridge, a gap) are read as before.
 */
public final class TraceIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TraceIndex.class);
    /** Entries per segment; a segment is the unit that is forgotten when the index is full. */
    static final int SEGMENT = 1 << 16;
    /**
     * Acknowledged records waiting for the index thread, and ahead of the index in one partition, at most (32
     * bytes each); past it, the consumer reads those records.
     */
    static final int MAX_PRODUCED = 1 << 16;
    /**
     * Longest a partition waits for acknowledgements before it is read once anyway, and how long after the
     * bridge's last answered send to the topic it still waits for more.
     */
    private static final long MAX_PAUSE_NANOS = 1_000_000_000L;

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final String topic;
    private final int maxSpans;
    private final Map<Integer, PartitionIndex> partitions = new HashMap<>();
    private final SpareSegments spare = new SpareSegments();
    private volatile boolean running = true;
    /** Interruptions since the index last followed its topic (only the first is logged as a warning). */
    private int interrupted;
    private volatile Consumer<byte[], byte[]> current;
    private Thread thread;
    /** Null: every record is read back from the topic. */
    private final ProducedRecords produced;
    /** Acknowledged records not yet taken by the index thread. */
    private final BlockingQueue<Produced> acknowledged = new LinkedBlockingQueue<>(MAX_PRODUCED);
    /** Per partition, acknowledged records ahead of the index, in offset order (index thread only). */
    private final Map<Integer, Deque<Produced>> ahead = new HashMap<>();
    /** Partitions paused for acknowledgements, and since when (System.nanoTime). */
    private final Map<TopicPartition, Long> paused = new HashMap<>();

    /**
     * @param consumers makes the consumer that tails the topic (closed by this index)
     * @param maxSpans  most spans kept, at least one segment ({@value #SEGMENT}) per partition
     * @param produced  the bridge's own acknowledged records, so as not to read them back; null: read them
     */
    public TraceIndex(Supplier<Consumer<byte[], byte[]>> consumers, String topic, int maxSpans,
            ProducedRecords produced) {
        this.consumers = consumers;
        this.topic = topic;
        this.maxSpans = maxSpans;
        this.produced = produced;
    }

    /** Starts tailing the topic on a daemon thread. */
    public void start() {
        if (produced != null) {
            produced.watch(topic, new ProducedRecords.Listener() {
                @Override
                public int digest(Object key) {
                    return key == null ? 0 : hash(key);
                }

                @Override
                public void produced(int partition, long offset, int digest) {
                    acknowledged(partition, offset, digest);
                }
            });
        }
        thread = new Thread(this::tail, "trace-index");
        thread.setDaemon(true);
        thread.start();
    }

    /** Offsets of the partition that may hold records keyed {@code key}, and the offsets the index covers. */
    public record Lookup(long coveredFrom, long coveredTo, long[] candidates) {
        static final Lookup NONE = new Lookup(0, 0, new long[0]);
    }

    /** @return what the index knows of {@code key} in {@code partition}; {@link Lookup#NONE} covers nothing */
    public Lookup lookup(int partition, byte[] key) {
        PartitionIndex p;
        synchronized (partitions) {
            p = partitions.get(partition);
        }
        return p == null ? Lookup.NONE : p.lookup(hash(key));
    }

    /** The index of {@code partition}, null before the index follows it. */
    PartitionIndex partition(int partition) {
        synchronized (partitions) {
            return partitions.get(partition);
        }
    }

    /**
     * The parts of {@code range} that can hold records keyed {@code key}: the candidate offsets where the index
     * covers the range (runs of nearby offsets read in one go), and every offset it does not cover.
     */
    List<PartitionScan.Range> narrow(PartitionScan.Range range, byte[] key) {
        Lookup l = lookup(range.partition().partition(), key);
        long from = Math.max(range.from(), l.coveredFrom());
        long to = Math.min(range.to(), l.coveredTo());
        if (from >= to) {
            return List.of(range);
        }
        List<PartitionScan.Range> out = new ArrayList<>();
        if (range.from() < from) {
            out.add(new PartitionScan.Range(range.partition(), range.from(), from));
        }
        long runStart = -1;
        long runEnd = -1;
        for (long o : l.candidates()) {
            if (o < from || o >= to) {
                continue;
            }
            // Reading a few records past a gap is cheaper than another fetch.
            if (runStart >= 0 && o <= runEnd + 64) {
                runEnd = o + 1;
            } else {
                if (runStart >= 0) {
                    out.add(new PartitionScan.Range(range.partition(), runStart, runEnd));
                }
                runStart = o;
                runEnd = o + 1;
            }
        }
        if (runStart >= 0) {
            out.add(new PartitionScan.Range(range.partition(), runStart, runEnd));
        }
        if (to < range.to()) {
            out.add(new PartitionScan.Range(range.partition(), to, range.to()));
        }
        return out;
    }

    private void tail() {
        while (running) {
            try (Consumer<byte[], byte[]> consumer = consumers.get()) {
                current = consumer;
                if (running) {
                    follow(consumer);
                }
            } catch (WakeupException e) {
                // close() asked the consumer to stop
            } catch (RuntimeException e) {
                if (running) {
                    // Once per outage: while Kafka stays away the kafka readiness check says so.
                    if (interrupted++ == 0) {
                        LOG.warn("Trace index of {} interrupted ({}); starting again every 5 s", topic, e.toString());
                    } else {
                        LOG.debug("Trace index of {} still interrupted ({})", topic, e.toString());
                    }
                    sleep(5000);
                }
            }
        }
    }

    /** On a producer's network thread: queued for the index thread, unless too many wait already. */
    private void acknowledged(int partition, long offset, int hash) {
        // Full: dropped, and the consumer reads that record.
        acknowledged.offer(new Produced(partition, offset, hash));
    }

    /** A record the bridge wrote to the topic, as Kafka acknowledged it, with its key's {@link #hash} (0: none). */
    record Produced(int partition, long offset, int hash) {}

    private void follow(Consumer<byte[], byte[]> consumer) {
        List<TopicPartition> assigned = List.of();
        long nextRefresh = 0;
        paused.clear();
        while (running) {
            if (System.currentTimeMillis() >= nextRefresh) {
                List<TopicPartition> now = partitionsOf(consumer);
                if (now.size() != assigned.size()) {
                    assign(consumer, now);
                    consumer.resume(now);
                    assigned = now;
                    paused.clear();
                }
                nextRefresh = System.currentTimeMillis() + (assigned.isEmpty() ? 5_000 : 30_000);
            }
            if (assigned.isEmpty()) {
                sleep(200);
                continue;
            }
            if (produced != null && takeProduced(consumer, assigned)) {
                // Every partition waits for acknowledgements: nothing to fetch.
                sleep(10);
                evict();
                continue;
            }
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
            for (TopicPartition tp : batch.partitions()) {
                PartitionIndex p;
                synchronized (partitions) {
                    p = partitions.get(tp.partition());
                }
                p.addAll(batch.records(tp), consumer.position(tp));
            }
            for (TopicPartition tp : assigned) {
                PartitionIndex p;
                synchronized (partitions) {
                    p = partitions.get(tp.partition());
                }
                // Moves over gaps and empty polls, so an idle topic counts as covered to its end.
                p.advanceTo(consumer.position(tp));
            }
            evict();
        }
    }

    /**
     * Indexes the acknowledged records that continue each partition from where the index is, moves the consumer
     * past them, and pauses a partition that has nothing else to read while the bridge sends to the topic
     * (its next records are on their way as acknowledgements: read, they would come before them); a partition
     * with a gap before its next acknowledged record (another producer's records) is read, and a paused one is
     * read once a second anyway.
     *
     * @return whether every partition is paused
     */
    private boolean takeProduced(Consumer<byte[], byte[]> consumer, List<TopicPartition> assigned) {
        // Read before the queue: an acknowledgement is queued before its send counts as answered.
        boolean busy = produced.busy(topic, MAX_PAUSE_NANOS);
        for (Produced r = acknowledged.poll(); r != null; r = acknowledged.poll()) {
            Deque<Produced> q = ahead.computeIfAbsent(r.partition(), k -> new ArrayDeque<>());
            Produced last = q.peekLast();
            // A second producer's acknowledgements may come out of order: the consumer reads those records.
            if ((last == null || r.offset() > last.offset()) && q.size() < MAX_PRODUCED) {
                q.add(r);
            }
        }
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        long now = System.nanoTime();
        for (TopicPartition tp : assigned) {
            PartitionIndex p;
            synchronized (partitions) {
                p = partitions.get(tp.partition());
            }
            Deque<Produced> q = ahead.getOrDefault(tp.partition(), EMPTY);
            long before = p.coveredTo();
            long to = p.addProduced(q);
            if (to > before) {
                consumer.seek(tp, to);
            }
            Long since = paused.get(tp);
            // The bridge's sends may all be to other partitions: now and then one is read anyway.
            boolean wait = q.isEmpty() && busy && (since == null || now - since < MAX_PAUSE_NANOS);
            if (wait && since == null) {
                paused.put(tp, now);
                pause.add(tp);
            } else if (!wait && since != null) {
                paused.remove(tp);
                resume.add(tp);
            }
        }
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
        return paused.size() == assigned.size();
    }

    private static final Deque<Produced> EMPTY = new ArrayDeque<>(0);

    private List<TopicPartition> partitionsOf(Consumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        List<TopicPartition> out = new ArrayList<>();
        if (infos != null) {
            infos.forEach(i -> out.add(new TopicPartition(topic, i.partition())));
        }
        return out;
    }

    /** Starts each new partition at its newest {@code maxSpans / partitions} records. */
    private void assign(Consumer<byte[], byte[]> consumer, List<TopicPartition> all) {
        consumer.assign(all);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(all);
        Map<TopicPartition, Long> end = consumer.endOffsets(all);
        long share = Math.max(SEGMENT, maxSpans / Math.max(1, all.size()));
        synchronized (partitions) {
            for (TopicPartition tp : all) {
                PartitionIndex p = partitions.get(tp.partition());
                if (p == null) {
                    long from = Math.max(begin.get(tp), end.get(tp) - share);
                    partitions.put(tp.partition(), new PartitionIndex(from, spare));
                    consumer.seek(tp, from);
                } else {
                    consumer.seek(tp, p.coveredTo());
                }
            }
        }
        LOG.info("Trace index follows {} partitions of {}", all.size(), topic);
        interrupted = 0;
    }

    /** Forgets the oldest segment of the partition holding the most until the index fits. */
    private void evict() {
        synchronized (partitions) {
            long total = partitions.values().stream().mapToLong(PartitionIndex::size).sum();
            while (total > maxSpans) {
                PartitionIndex largest = partitions.values().stream()
                        .max((a, b) -> Long.compare(a.size(), b.size())).orElseThrow();
                long dropped = largest.dropOldest();
                if (dropped == 0) {
                    return;
                }
                total -= dropped;
            }
        }
    }

    /** {@link #hash(byte[])} of a key as a producer was given it: its bytes, or a string's UTF-8 bytes. */
    static int hash(Object key) {
        if (key instanceof byte[] b) {
            return hash(b);
        }
        String s = key.toString();
        // Arrays.hashCode of the UTF-8 bytes, without making them while every char is ASCII (a trace id's hex).
        int h = 1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return hash(s.getBytes(StandardCharsets.UTF_8));
            }
            h = 31 * h + c;
        }
        return finish(h);
    }

    static int hash(byte[] key) {
        return finish(Arrays.hashCode(key));
    }

    private static int finish(int h) {
        // murmur3's finaliser: spreads the bits so the low ones index the table well.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h == 0 ? 1 : h;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        if (produced != null) {
            produced.unwatch(topic);
        }
        Consumer<byte[], byte[]> c = current;
        if (c != null) {
            // Ends a poll in progress; unlike an interrupt it lets the consumer close cleanly.
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Segments forgotten and not yet reused. A segment is 1.25 MiB that lives long enough to reach the old
     * generation: at 16 connections a full index took a new one about every second and dropped the oldest, which
     * was nearly all the old generation's growth (147 of the young collections of 160 s each promoted one, 60 MB,
     * -Xlog:gc+heap), and a filled old generation is resident. Reused, the index holds the same arrays for good.
     */
    static final class SpareSegments {
        /** Eviction follows each new segment, so one spare is enough; a second covers two partitions at once. */
        private static final int KEPT = 2;
        private final Deque<Segment> spare = new ArrayDeque<>();

        synchronized void give(Segment s) {
            if (spare.size() < KEPT) {
                spare.push(s);
            }
        }

        synchronized int size() {
            return spare.size();
        }

        /** A segment starting at {@code base}: a spare one emptied, else a new one. */
        synchronized Segment take(long base) {
            Segment s = spare.poll();
            return s == null ? new Segment(base) : s.reset(base);
        }
    }

    /** One partition's index: segments in offset order, each an open-addressing table of hash → offset. */
    static final class PartitionIndex {
        private final Deque<Segment> segments = new ArrayDeque<>();
        private final SpareSegments spare;
        private long coveredFrom;
        private long coveredTo;
        /** The entry the last record went to (slot of the last segment, -1: none) and that record's hash and offset. */
        private int lastSlot = -1;
        private int lastHash;
        private long lastOffset;

        PartitionIndex(long from, SpareSegments spare) {
            this.spare = spare;
            this.coveredFrom = from;
            this.coveredTo = from;
        }

        /** Records read from the topic and records taken from acknowledgements, for tests and logs. */
        private long read;
        private long fromProducers;

        synchronized void addAll(List<ConsumerRecord<byte[], byte[]>> records, long position) {
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (r.offset() >= coveredTo) {
                    add(r.offset(), r.key() == null ? 0 : hash(r.key()));
                    read++;
                }
            }
            advanceTo(position);
        }

        /**
         * Takes from the head of {@code ahead} the records that continue the index without a gap, and drops those
         * it covers already.
         *
         * @return where the index is now covered to
         */
        synchronized long addProduced(Deque<Produced> ahead) {
            for (Produced r = ahead.peek(); r != null && r.offset() <= coveredTo; r = ahead.peek()) {
                ahead.poll();
                if (r.offset() == coveredTo) {
                    add(r.offset(), r.hash());
                    fromProducers++;
                }
            }
            return coveredTo;
        }

        /** @param h the key's {@link #hash}, 0 for a record without a key */
        private void add(long offset, int h) {
            if (h != 0) {
                Segment last = segments.peekLast();
                // Spans of one trace often follow each other: one entry covers a run of them.
                if (!(lastSlot >= 0 && h == lastHash && offset == lastOffset + 1 && last.extend(lastSlot))) {
                    if (last == null || last.full()) {
                        last = spare.take(offset);
                        segments.add(last);
                    }
                    lastSlot = last.add(h, offset);
                    lastHash = h;
                }
                lastOffset = offset;
            } else {
                lastSlot = -1;
            }
            coveredTo = offset + 1;
        }

        synchronized long read() {
            return read;
        }

        synchronized long fromProducers() {
            return fromProducers;
        }

        synchronized void advanceTo(long position) {
            coveredTo = Math.max(coveredTo, position);
        }

        synchronized long coveredTo() {
            return coveredTo;
        }

        synchronized long size() {
            return (long) segments.size() * SEGMENT;
        }

        /** @return entries forgotten */
        synchronized long dropOldest() {
            if (segments.size() <= 1) {
                return 0;
            }
            // Under this partition's lock, as lookups are: none can still be reading the segment given back.
            spare.give(segments.poll());
            coveredFrom = segments.peek().base;
            return SEGMENT;
        }

        synchronized Lookup lookup(int hash) {
            List<Long> found = new ArrayList<>();
            for (Segment s : segments) {
                s.find(hash, found);
            }
            long[] offsets = found.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Lookup(coveredFrom, coveredTo, offsets);
        }
    }

    /**
     * Up to {@value #SEGMENT} entries at load factor 0.5: hashes, offsets relative to {@code base}, and how many
     * consecutive offsets from there share the hash (a run of one trace's spans, up to {@value #MAX_RUN}).
     */
    static final class Segment {
        /** Longest run one entry covers: a segment then spans fewer than 2^31 offsets. */
        static final int MAX_RUN = (1 << 14) - 1;
        private long base;
        private final int[] hashes = new int[SEGMENT * 2];
        private final int[] deltas = new int[SEGMENT * 2];
        private final char[] runs = new char[SEGMENT * 2];
        private int count;

        Segment(long base) {
            this.base = base;
        }

        /** This segment emptied, to start at {@code base}. */
        Segment reset(long base) {
            this.base = base;
            Arrays.fill(hashes, 0);
            count = 0;
            return this;
        }

        boolean full() {
            return count >= SEGMENT;
        }

        /** @return the entry's slot, for {@link #extend} */
        int add(int hash, long offset) {
            int mask = hashes.length - 1;
            int i = hash & mask;
            while (hashes[i] != 0) {
                i = (i + 1) & mask;
            }
            hashes[i] = hash;
            deltas[i] = (int) (offset - base);
            runs[i] = 1;
            count++;
            return i;
        }

        /** Adds the next offset to the run of the entry at {@code slot}; false when the run is at its longest. */
        boolean extend(int slot) {
            if (runs[slot] >= MAX_RUN) {
                return false;
            }
            runs[slot]++;
            return true;
        }

        void find(int hash, List<Long> out) {
            int mask = hashes.length - 1;
            for (int i = hash & mask; hashes[i] != 0; i = (i + 1) & mask) {
                if (hashes[i] == hash) {
                    for (int k = 0; k < runs[i]; k++) {
                        out.add(base + deltas[i] + k);
                    }
                }
            }
        }
    }
}
