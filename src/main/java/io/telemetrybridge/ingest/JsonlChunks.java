package io.telemetrybridge.ingest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads a {@code .jsonl} file incrementally as chunks of lines, from a byte offset on (where the last
 * acknowledged chunk ended), so a file of any size is read at flat memory: a chunk holds at most
 * {@code maxLines} non-blank lines or about {@code maxBytes} bytes, and a line longer than {@code maxLineBytes}
 * is not held whole (only its first bytes are kept, for its dead letter). A UTF-8 byte-order mark at the start,
 * CRLF, lone CR or LF line ends, blank lines and a missing final newline are accepted. The lines' meaning is
 * the caller's.
 */
final class JsonlChunks implements Iterator<JsonlChunks.Lines>, Closeable {

    /** Bytes of an over-long line kept for its dead letter. */
    static final int KEPT_OF_LONG_LINE = 65_536;

    /**
     * One chunk: its non-empty lines (raw bytes, line numbers from 1), and where it ends.
     *
     * @param tooLong    for each line, whether it was longer than the bound (its bytes are then only its start)
     * @param endOffset  byte offset just after the chunk's last line end
     * @param endLine    number of the chunk's last line (blank lines counted)
     * @param last       whether the file ends with this chunk
     */
    record Lines(List<byte[]> lines, List<Long> lineNumbers, List<Boolean> tooLong, long endOffset, long endLine,
            boolean last) {}

    private final InputStream in;
    private final int maxLines;
    private final long maxBytes;
    private final int maxLineBytes;
    private long offset;
    private long line;
    private boolean finished;

    /**
     * @param from     byte offset to start at (0, or where the last acknowledged chunk ended)
     * @param fromLine number of the last line before {@code from}
     */
    JsonlChunks(Path file, long from, long fromLine, int maxLines, long maxBytes, int maxLineBytes) throws IOException {
        this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
        this.maxLineBytes = maxLineBytes;
        this.line = fromLine;
        try {
            in.skipNBytes(from);
            this.offset = from;
            if (from == 0) {
                skipBom();
            }
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public boolean hasNext() {
        return !finished;
    }

    @Override
    public Lines next() {
        if (finished) {
            throw new NoSuchElementException();
        }
        List<byte[]> lines = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        List<Boolean> tooLong = new ArrayList<>();
        long bytes = 0;
        try {
            while (lines.size() < maxLines && bytes < maxBytes) {
                ByteArrayOutputStream current = new ByteArrayOutputStream(256);
                boolean longLine = false;
                int b;
                long length = 0;
                while ((b = in.read()) >= 0 && b != '\n' && b != '\r') {
                    offset++;
                    length++;
                    if (length <= maxLineBytes) {
                        current.write(b);
                    } else if (!longLine) {
                        longLine = true;
                    }
                }
                if (b < 0 && length == 0) {
                    finished = true;
                    break;
                }
                line++;
                if (b == '\r') {
                    offset++;
                    in.mark(1);
                    if (in.read() == '\n') {
                        offset++;
                    } else {
                        in.reset();
                    }
                } else if (b == '\n') {
                    offset++;
                }
                byte[] content = current.toByteArray();
                if (longLine) {
                    content = Arrays.copyOf(content, Math.min(content.length, KEPT_OF_LONG_LINE));
                }
                if (content.length > 0 || longLine) {
                    lines.add(content);
                    numbers.add(line);
                    tooLong.add(longLine);
                    bytes += content.length;
                }
                if (b < 0) {
                    finished = true;
                    break;
                }
            }
            if (!finished) {
                // The next read tells whether anything follows; a file ending in a line end is done here.
                in.mark(1);
                if (in.read() < 0) {
                    finished = true;
                } else {
                    in.reset();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Lines(lines, numbers, tooLong, offset, line, finished);
    }

    private void skipBom() throws IOException {
        in.mark(3);
        byte[] head = in.readNBytes(3);
        if (head.length == 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            offset = 3;
        } else {
            in.reset();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
