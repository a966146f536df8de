package io.telemetrybridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incremental .jsonl reader on real files: chunk bounds, line ends, offsets to resume from, long lines. */
class JsonlChunksTest {

    @TempDir
    Path dir;

    @Test
    void chunksHoldAtMostTheBoundAndOffsetsResumeExactlyAfterTheLastChunk() throws Exception {
        Path file = dir.resolve("a.jsonl");
        // BOM, CRLF, a lone CR, a blank line, no final newline.
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        String text = "l1\r\nl2\n\nl3\rl4\nl5";
        Files.write(file, concat(bom, text.getBytes(StandardCharsets.UTF_8)));

        List<JsonlChunks.Lines> chunks = new ArrayList<>();
        try (JsonlChunks reader = new JsonlChunks(file, 0, 0, 2, 1 << 20, 1 << 20)) {
            reader.forEachRemaining(chunks::add);
        }
        assertThat(chunks).hasSize(3);
        assertThat(texts(chunks.get(0))).containsExactly("l1", "l2");
        assertThat(chunks.get(0).lineNumbers()).containsExactly(1L, 2L);
        assertThat(texts(chunks.get(1))).containsExactly("l3", "l4");
        assertThat(chunks.get(1).lineNumbers()).containsExactly(4L, 5L);
        assertThat(texts(chunks.get(2))).containsExactly("l5");
        assertThat(chunks.get(2).last()).isTrue();
        assertThat(chunks.get(2).endOffset()).isEqualTo(Files.size(file));

        // Resuming where the first chunk ended gives the rest, with the same line numbers.
        JsonlChunks.Lines first = chunks.get(0);
        List<String> rest = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        try (JsonlChunks reader = new JsonlChunks(file, first.endOffset(), first.endLine(), 100, 1 << 20, 1 << 20)) {
            reader.forEachRemaining(c -> {
                rest.addAll(texts(c));
                numbers.addAll(c.lineNumbers());
            });
        }
        assertThat(rest).containsExactly("l3", "l4", "l5");
        assertThat(numbers).containsExactly(4L, 5L, 6L);
    }

    @Test
    void aFileEndingInALineEndHasNoEmptyLastChunkAndAnEmptyFileNone() throws Exception {
        Path file = dir.resolve("b.jsonl");
        Files.writeString(file, "x\ny\n");
        List<JsonlChunks.Lines> chunks = new ArrayList<>();
        try (JsonlChunks reader = new JsonlChunks(file, 0, 0, 2, 1 << 20, 1 << 20)) {
            reader.forEachRemaining(chunks::add);
        }
        assertThat(chunks).singleElement().satisfies(c -> {
            assertThat(texts(c)).containsExactly("x", "y");
            assertThat(c.last()).isTrue();
        });

        Path empty = dir.resolve("c.jsonl");
        Files.write(empty, new byte[0]);
        try (JsonlChunks reader = new JsonlChunks(empty, 0, 0, 2, 1 << 20, 1 << 20)) {
            assertThat(reader.hasNext()).isTrue();
            assertThat(reader.next().lines()).isEmpty();
            assertThat(reader.hasNext()).isFalse();
        }
    }

    @Test
    void aLineOverTheBoundIsMarkedAndOnlyItsStartIsKept() throws Exception {
        Path file = dir.resolve("d.jsonl");
        Files.writeString(file, "short\n" + "z".repeat(200_000) + "\nafter\n");
        List<JsonlChunks.Lines> chunks = new ArrayList<>();
        try (JsonlChunks reader = new JsonlChunks(file, 0, 0, 100, 1 << 20, 1000)) {
            reader.forEachRemaining(chunks::add);
        }
        JsonlChunks.Lines c = chunks.get(0);
        assertThat(c.tooLong()).containsExactly(false, true, false);
        assertThat(c.lines().get(1)).hasSize(1000);
        assertThat(new String(c.lines().get(2), StandardCharsets.UTF_8)).isEqualTo("after");
        assertThat(c.lineNumbers()).containsExactly(1L, 2L, 3L);
    }

    private static List<String> texts(JsonlChunks.Lines chunk) {
        return chunk.lines().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
