package io.telemetrybridge.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool's segment files on real disk: order, acknowledgement, a torn tail and a corrupt segment at opening. */
class SpoolSegmentsTest {

    @TempDir
    Path dir;

    @Test
    void entriesComeBackInOrderAndAcknowledgedSegmentsGo() throws IOException {
        try (SpoolSegments s = SpoolSegments.open(dir, 300)) {
            for (int i = 0; i < 10; i++) {
                s.append(List.of(entry(i)));
            }
            s.force();
            assertThat(s.entries()).isEqualTo(10);
            assertThat(s.sizes()).hasSizeGreaterThan(1);
            List<String> seen = new ArrayList<>();
            while (true) {
                SpoolSegments.Batch b = s.next(3, 1 << 20);
                if (b.entries().isEmpty()) {
                    break;
                }
                b.entries().forEach(e -> seen.add(new String(e.value(), StandardCharsets.UTF_8)));
                s.acked(b);
            }
            assertThat(seen).containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
            assertThat(s.drained()).isTrue();
            assertThat(s.entries()).isZero();
            s.clear();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aReopenedSpoolResumesAfterWhatWasAcknowledged() throws IOException {
        try (SpoolSegments s = SpoolSegments.open(dir, 1 << 20)) {
            s.append(List.of(entry(0), entry(1), entry(2)));
            s.force();
            SpoolSegments.Batch b = s.next(2, 1 << 20);
            s.acked(b);
        }
        try (SpoolSegments s = SpoolSegments.open(dir, 1 << 20)) {
            assertThat(s.entries()).isEqualTo(1);
            SpoolSegments.Batch b = s.next(10, 1 << 20);
            assertThat(b.entries()).extracting(e -> new String(e.value(), StandardCharsets.UTF_8)).containsExactly("v2");
            SpoolEntry e = b.entries().get(0);
            assertThat(e.topic()).isEqualTo("t");
            assertThat(new String(e.key(), StandardCharsets.UTF_8)).isEqualTo("k2");
            assertThat(e.headers()).extracting(Map.Entry::getKey).containsExactly("telemetry.signal", "x");
        }
    }

    @Test
    void aTornTailIsSetAsideAndACorruptOlderSegmentIsQuarantined() throws IOException {
        try (SpoolSegments s = SpoolSegments.open(dir, 100)) {
            for (int i = 0; i < 6; i++) {
                s.append(List.of(entry(i)));
            }
            s.force();
        }
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(p -> p.toString().endsWith(".spool")).sorted().toList();
        }
        assertThat(segments).hasSizeGreaterThanOrEqualTo(3);
        // The newest segment: half an entry at its end, as a crash in the middle of a write leaves it.
        Path newest = segments.get(segments.size() - 1);
        long before = Files.size(newest);
        try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x54, 0x42, 0x53, 0x31, 0, 0, 0, 90, 1, 2}));
        }
        // The first segment: one byte flipped inside an entry.
        Path first = segments.get(0);
        byte[] bytes = Files.readAllBytes(first);
        bytes[bytes.length - 3] ^= 0x5a;
        Files.write(first, bytes);
        long firstEntries;
        try (SpoolSegments s = SpoolSegments.open(dir, 100)) {
            assertThat(Files.size(newest)).isEqualTo(before);
            List<String> seen = new ArrayList<>();
            for (SpoolSegments.Batch b = s.next(100, 1 << 20); !b.entries().isEmpty(); b = s.next(100, 1 << 20)) {
                b.entries().forEach(e -> seen.add(new String(e.value(), StandardCharsets.UTF_8)));
                s.acked(b);
            }
            firstEntries = 6 - seen.size();
            assertThat(seen).isNotEmpty().doesNotContain("v0").endsWith("v5");
        }
        assertThat(firstEntries).isPositive();
        assertThat(dir.resolve("quarantine").resolve(first.getFileName())).exists();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains(".torn-" + before));
        }
    }

    private static SpoolEntry entry(int i) {
        return new SpoolEntry(System.currentTimeMillis(), "t", ("k" + i).getBytes(StandardCharsets.UTF_8),
                ("v" + i).getBytes(StandardCharsets.UTF_8), List.of(Map.entry("telemetry.signal",
                        "logs".getBytes(StandardCharsets.UTF_8)), Map.entry("x", new byte[0])));
    }
}
