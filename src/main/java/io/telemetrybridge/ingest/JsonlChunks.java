package io.telemetrybridge.ingest;

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
    /** Read buffer: bytes {@code [pos, limit)} are read from the file but not yet consumed. */
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    /** The line being read (at most {@code maxLineBytes} of it), reused from line to line. */
    private byte[] current = new byte[1024];
    private int currentLength;
    private long offset;
    private long line;
    private boolean finished;

    /**
     * @param from     byte offset to start at (0, or where the last acknowledged chunk ended)
     * @param fromLine number of the last line before {@code from}
     */
    JsonlChunks(Path file, long from, long fromLine, int maxLines, long maxBytes, int maxLineBytes) throws IOException {
        this.in = Files.newInputStream(file);
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
                currentLength = 0;
                long length = 0;
                int end = -1;
                // Whole buffers are scanned for the line end; only the line's bytes are copied.
                while (fill()) {
                    int i = pos;
                    while (i < limit && buffer[i] != '\n' && buffer[i] != '\r') {
                        i++;
                    }
                    int n = i - pos;
                    keep(pos, (int) Math.max(0, Math.min(n, maxLineBytes - length)));
                    length += n;
                    offset += n;
                    pos = i;
                    if (i < limit) {
                        end = buffer[i];
                        pos++;
                        offset++;
                        break;
                    }
                }
                if (end < 0 && length == 0) {
                    finished = true;
                    break;
                }
                line++;
                if (end == '\r' && fill() && buffer[pos] == '\n') {
                    pos++;
                    offset++;
                }
                boolean longLine = length > maxLineBytes;
                if (currentLength > 0 || longLine) {
                    byte[] content = Arrays.copyOf(current, longLine ? Math.min(currentLength, KEPT_OF_LONG_LINE)
                            : currentLength);
                    lines.add(content);
                    numbers.add(line);
                    tooLong.add(longLine);
                    bytes += content.length;
                }
                if (current.length > 1 << 20) {
                    // A long line must not keep its buffer for the rest of the file.
                    current = new byte[1024];
                }
                if (end < 0) {
                    finished = true;
                    break;
                }
            }
            if (!finished && !fill()) {
                // A file ending in a line end is done here.
                finished = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Lines(lines, numbers, tooLong, offset, line, finished);
    }

    /** Whether unconsumed bytes are buffered, reading more when none are; false at the end of the file. */
    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        int n = in.read(buffer, 0, buffer.length);
        pos = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    /** Appends {@code n} buffered bytes from {@code from} to the current line. */
    private void keep(int from, int n) {
        if (n == 0) {
            return;
        }
        if (currentLength + n > current.length) {
            current = Arrays.copyOf(current, Math.max(current.length * 2, currentLength + n));
        }
        System.arraycopy(buffer, from, current, currentLength, n);
        currentLength += n;
    }

    private void skipBom() throws IOException {
        if (fill() && limit - pos >= 3 && (buffer[pos] & 0xFF) == 0xEF && (buffer[pos + 1] & 0xFF) == 0xBB
                && (buffer[pos + 2] & 0xFF) == 0xBF) {
            pos += 3;
            offset = 3;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
