package io.telemetrybridge.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** One partition's trace index: runs of a trace's consecutive spans are one entry, and lookups find every span. */
class TraceIndexTest {

    @Test
    void runsGapsAndInterleavedTracesAreAllFound() {
        TraceIndex.PartitionIndex index = new TraceIndex.PartitionIndex(100, new TraceIndex.SpareSegments());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        // offsets 100-109: trace a x3, trace b x2, a record without key, trace a x2, trace c, trace b x2
        String[] keys = {"a", "a", "a", "b", "b", null, "a", "a", "c", "b", "b"};
        for (int i = 0; i < keys.length; i++) {
            records.add(new ConsumerRecord<>("t", 0, 100 + i,
                    keys[i] == null ? null : keys[i].getBytes(StandardCharsets.UTF_8), null));
        }
        index.addAll(records, 100 + keys.length);

        assertThat(candidates(index, "a")).containsExactly(100L, 101L, 102L, 106L, 107L);
        assertThat(candidates(index, "b")).containsExactly(103L, 104L, 109L, 110L);
        assertThat(candidates(index, "c")).containsExactly(108L);
        assertThat(candidates(index, "d")).isEmpty();
        TraceIndex.Lookup l = index.lookup(TraceIndex.hash(bytes("a")));
        assertThat(l.coveredFrom()).isEqualTo(100);
        assertThat(l.coveredTo()).isEqualTo(111);
    }

    @Test
    void aRunLongerThanOneEntryTakesSeveralAndARunAcrossPollsContinues() {
        TraceIndex.PartitionIndex index = new TraceIndex.PartitionIndex(0, new TraceIndex.SpareSegments());
        int total = TraceIndex.Segment.MAX_RUN + 10;
        List<ConsumerRecord<byte[], byte[]>> first = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> second = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            (i < total / 2 ? first : second).add(new ConsumerRecord<>("t", 0, i, bytes("long"), null));
        }
        index.addAll(first, total / 2);
        index.addAll(second, total);
        List<Long> found = candidates(index, "long");
        assertThat(found).hasSize(total);
        assertThat(found.get(0)).isZero();
        assertThat(found.get(total - 1)).isEqualTo(total - 1L);
    }

    @Test
    void acknowledgedRecordsAreTakenOnlyWhereTheyContinueTheIndex() {
        TraceIndex.PartitionIndex index = new TraceIndex.PartitionIndex(10, new TraceIndex.SpareSegments());
        java.util.Deque<TraceIndex.Produced> ahead = new java.util.ArrayDeque<>();
        // 8, 9: before the index starts; 10-12 continue it; 14 follows a gap (another producer's 13)
        for (long o : new long[] {8, 9, 10, 11, 12, 14}) {
            ahead.add(new TraceIndex.Produced(0, o, TraceIndex.hash((Object) (o == 11 ? "b" : "a"))));
        }
        assertThat(index.addProduced(ahead)).isEqualTo(13);
        assertThat(ahead).extracting(TraceIndex.Produced::offset).containsExactly(14L);
        // The consumer reads 13; 14 then continues the index.
        index.addAll(List.of(new ConsumerRecord<>("t", 0, 13, bytes("c"), null)), 14);
        assertThat(index.addProduced(ahead)).isEqualTo(15);
        assertThat(candidates(index, "a")).containsExactly(10L, 12L, 14L);
        assertThat(candidates(index, "b")).containsExactly(11L);
        assertThat(candidates(index, "c")).containsExactly(13L);
        assertThat(index.fromProducers()).isEqualTo(4);
        assertThat(index.read()).isEqualTo(1);
        // A record read already is not taken again.
        ahead.add(new TraceIndex.Produced(0, 14, TraceIndex.hash((Object) "z")));
        assertThat(index.addProduced(ahead)).isEqualTo(15);
        assertThat(candidates(index, "z")).isEmpty();
    }

    @Test
    void aForgottenSegmentIsReusedEmptied() {
        TraceIndex.SpareSegments spare = new TraceIndex.SpareSegments();
        TraceIndex.PartitionIndex index = new TraceIndex.PartitionIndex(0, spare);
        int n = TraceIndex.SEGMENT;
        // Offsets 0 .. n-1 fill the first segment (keys k0..), n .. 2n-1 the second (keys m0..).
        index.addAll(records(0, n, "k"), n);
        index.addAll(records(n, n, "m"), 2L * n);
        assertThat(index.dropOldest()).isEqualTo(n);
        assertThat(spare.size()).isEqualTo(1);
        // A third segment is needed: the forgotten one comes back, without the first segment's entries.
        index.addAll(records(2L * n, 10, "q"), 2L * n + 10);
        assertThat(spare.size()).isZero();
        assertThat(index.size()).isEqualTo(2L * n);
        assertThat(candidates(index, "k5")).isEmpty();
        assertThat(candidates(index, "m5")).containsExactly(n + 5L);
        assertThat(candidates(index, "q3")).containsExactly(2L * n + 3);
        TraceIndex.Lookup l = index.lookup(TraceIndex.hash(bytes("q3")));
        assertThat(l.coveredFrom()).isEqualTo(n);
        assertThat(l.coveredTo()).isEqualTo(2L * n + 10);
    }

    /** {@code count} records from {@code from}, each with its own key ({@code prefix} and its index). */
    private static List<ConsumerRecord<byte[], byte[]>> records(long from, int count, String prefix) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new ConsumerRecord<>("t", 0, from + i, bytes(prefix + i), null));
        }
        return out;
    }

    @Test
    void aStringKeyHashesAsItsUtf8Bytes() {
        for (String key : new String[] {"", "0af7651916cd43dd8448eb211c80319c", "trace-ü-雪", "\u0000x"}) {
            assertThat(TraceIndex.hash((Object) key)).as(key).isEqualTo(TraceIndex.hash(bytes(key)));
            assertThat(TraceIndex.hash((Object) bytes(key))).isEqualTo(TraceIndex.hash(bytes(key)));
        }
    }

    private static List<Long> candidates(TraceIndex.PartitionIndex index, String key) {
        List<Long> out = new ArrayList<>();
        for (long o : index.lookup(TraceIndex.hash(bytes(key))).candidates()) {
            out.add(o);
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
