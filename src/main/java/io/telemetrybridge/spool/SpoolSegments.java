package io.telemetrybridge.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's files (docs/delivery.md, "Spool format"): segment files {@code <sequence>.spool}, each a run of
 * entries {@code magic:i32 ("TBS1"), length:i32, crc32c:i32 (of the payload), payload} ({@link SpoolEntry}),
 * appended at the end of the newest segment and read from the oldest; {@code <sequence>.acked} beside a segment
 * holds how far Kafka acknowledged it (written after each acknowledged batch, not synced: after a crash a batch
 * may be sent again). A segment is deleted once all of it is acknowledged.
 * <p>
 * Opening checks every entry. An entry that does not check out in the newest segment is a torn tail, the end of
 * a request that was never acknowledged: its bytes are moved to {@code <sequence>.torn-<offset>} and the segment
 * cut there. In an older segment it is corruption: the whole segment moves to {@code quarantine/}, with an error
 * in the log, and the others replay. Nothing is deleted that was not acknowledged. Not thread-safe: {@link Spool}
 * serialises access.
 */
final class SpoolSegments implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolSegments.class);
    static final int MAGIC = 0x54425331;
    private static final int HEADER = 12;

    /** One segment file: its size and entries, and where acknowledged reading stands in it. */
    private static final class Segment {
        final long seq;
        final Path path;
        long bytes;
        long entries;
        long firstAppendedAt;
        long ackedOffset;
        long ackedEntries;

        Segment(long seq, Path path) {
            this.seq = seq;
            this.path = path;
        }
    }

    /** Entries read for sending, and where they end (to acknowledge them). */
    record Batch(long seq, long endOffset, List<SpoolEntry> entries) {}

    private final Path dir;
    private final long segmentBytes;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private FileChannel active;
    private Segment activeSegment;
    private long forcedTo;

    private SpoolSegments(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Opens the spool in {@code dir} (created if missing), checking what a previous run left.
     *
     * @param segmentBytes size past which a new segment is started
     */
    static SpoolSegments open(Path dir, long segmentBytes) throws IOException {
        Files.createDirectories(dir);
        SpoolSegments s = new SpoolSegments(dir, segmentBytes);
        s.recover();
        return s;
    }

    private void recover() throws IOException {
        List<Long> seqs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.spool"))
                    .forEach(n -> seqs.add(Long.parseLong(n.substring(0, 20))));
        }
        seqs.sort(null);
        for (int i = 0; i < seqs.size(); i++) {
            long seq = seqs.get(i);
            Segment seg = new Segment(seq, segmentPath(seq));
            long bad = scan(seg);
            boolean newest = i == seqs.size() - 1;
            if (bad >= 0 && newest) {
                setAsideTail(seg, bad);
            } else if (bad >= 0) {
                quarantine(seg, bad);
                continue;
            }
            if (seg.bytes == 0) {
                Files.deleteIfExists(seg.path);
                Files.deleteIfExists(ackedPath(seq));
                continue;
            }
            seg.ackedOffset = readAcked(seq, seg);
            segments.put(seq, seg);
        }
        if (!segments.isEmpty()) {
            LOG.info("Spool in {}: {} record(s) in {} segment(s) from a previous run, to be sent to Kafka",
                    dir, entries(), segments.size());
        }
    }

    /** Counts a segment's entries; returns the offset of the first one that does not check out, or -1. */
    private long scan(Segment seg) throws IOException {
        try (FileChannel ch = FileChannel.open(seg.path, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (pos < size) {
                byte[] payload = readEntry(ch, pos, size, header);
                if (payload == null) {
                    seg.bytes = pos;
                    return pos;
                }
                if (seg.entries == 0) {
                    seg.firstAppendedAt = ByteBuffer.wrap(payload).getLong();
                }
                seg.entries++;
                pos += HEADER + payload.length;
            }
            seg.bytes = pos;
            return -1;
        }
    }

    /** The payload of the entry at {@code pos}, or null when it is not a whole entry with a matching checksum. */
    private static byte[] readEntry(FileChannel ch, long pos, long size, ByteBuffer header) throws IOException {
        if (size - pos < HEADER) {
            return null;
        }
        header.clear();
        readFully(ch, header, pos);
        header.flip();
        int magic = header.getInt();
        int length = header.getInt();
        int crc = header.getInt();
        if (magic != MAGIC || length < 0 || length > size - pos - HEADER) {
            return null;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(ch, payload, pos + HEADER);
        CRC32C c = new CRC32C();
        c.update(payload.array());
        return (int) c.getValue() == crc ? payload.array() : null;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of spool segment");
            }
            pos += n;
        }
    }

    private void setAsideTail(Segment seg, long offset) throws IOException {
        Path torn = dir.resolve(String.format("%020d.torn-%d", seg.seq, offset));
        try (FileChannel ch = FileChannel.open(seg.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileChannel out = FileChannel.open(torn, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = ch.size();
            ch.transferTo(offset, size - offset, out);
            out.force(true);
            ch.truncate(offset);
            ch.force(true);
            LOG.warn("Spool segment {} ends in {} byte(s) that are not a whole entry (a request cut off by a crash,"
                    + " never acknowledged); set aside as {}", seg.path, size - offset, torn);
        }
    }

    private void quarantine(Segment seg, long offset) throws IOException {
        Path q = dir.resolve("quarantine");
        Files.createDirectories(q);
        Files.move(seg.path, q.resolve(seg.path.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        if (Files.exists(ackedPath(seg.seq))) {
            Files.move(ackedPath(seg.seq), q.resolve(ackedPath(seg.seq).getFileName()),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        LOG.error("Spool segment {} is corrupt at byte {} (checksum or length does not match): moved to {} with its "
                + "{} readable record(s) before that point; the other segments are sent to Kafka. Inspect it before "
                + "deleting it (docs/delivery.md, \"Spool format\")", seg.path, offset, q, seg.entries);
    }

    private long readAcked(long seq, Segment seg) throws IOException {
        Path p = ackedPath(seq);
        if (!Files.exists(p)) {
            return 0;
        }
        try {
            long offset = Long.parseLong(Files.readString(p).trim());
            if (offset < 0 || offset > seg.bytes) {
                return 0;
            }
            // Count the acknowledged entries, so that what is left is known.
            try (FileChannel ch = FileChannel.open(seg.path, StandardOpenOption.READ)) {
                long pos = 0;
                ByteBuffer header = ByteBuffer.allocate(HEADER);
                while (pos < offset) {
                    byte[] payload = readEntry(ch, pos, seg.bytes, header);
                    if (payload == null) {
                        return 0;
                    }
                    pos += HEADER + payload.length;
                    seg.ackedEntries++;
                }
                if (pos != offset) {
                    seg.ackedEntries = 0;
                    return 0;
                }
            }
            return offset;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Appends {@code entries} at the end of the newest segment (a new one past the segment size). */
    long append(List<SpoolEntry> entries) throws IOException {
        if (active == null || activeSegment.bytes >= segmentBytes) {
            roll();
        }
        int size = 0;
        List<byte[]> payloads = new ArrayList<>(entries.size());
        for (SpoolEntry e : entries) {
            byte[] p = e.encode();
            payloads.add(p);
            size += HEADER + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        for (byte[] p : payloads) {
            CRC32C c = new CRC32C();
            c.update(p);
            b.putInt(MAGIC).putInt(p.length).putInt((int) c.getValue()).put(p);
        }
        b.flip();
        long pos = activeSegment.bytes;
        while (b.hasRemaining()) {
            pos += active.write(b, pos);
        }
        if (activeSegment.entries == 0 && !entries.isEmpty()) {
            activeSegment.firstAppendedAt = entries.get(0).appendedAt();
        }
        activeSegment.bytes = pos;
        activeSegment.entries += entries.size();
        return size;
    }

    /** Makes everything appended so far durable (fsync of the newest segment's data). */
    void force() throws IOException {
        if (active != null && forcedTo < activeSegment.bytes) {
            long upTo = activeSegment.bytes;
            active.force(false);
            forcedTo = upTo;
        }
    }

    private void roll() throws IOException {
        if (active != null) {
            active.force(true);
            active.close();
        }
        long seq = segments.isEmpty() ? 1 : segments.lastKey() + 1;
        Segment seg = new Segment(seq, segmentPath(seq));
        active = FileChannel.open(seg.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        // The new file's directory entry must survive a power loss too.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the file's own sync still holds its data.
        }
        activeSegment = seg;
        forcedTo = 0;
        segments.put(seq, seg);
    }

    /** Up to {@code maxEntries} entries (about {@code maxBytes}) after what Kafka acknowledged, oldest first. */
    Batch next(int maxEntries, long maxBytes) throws IOException {
        for (Segment seg : segments.values()) {
            if (seg.ackedOffset >= seg.bytes) {
                continue;
            }
            List<SpoolEntry> out = new ArrayList<>();
            long pos = seg.ackedOffset;
            long read = 0;
            try (FileChannel ch = FileChannel.open(seg.path, StandardOpenOption.READ)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER);
                while (pos < seg.bytes && out.size() < maxEntries && read < maxBytes) {
                    byte[] payload = readEntry(ch, pos, seg.bytes, header);
                    if (payload == null) {
                        throw new IOException("spool segment " + seg.path + " changed under the bridge at byte " + pos);
                    }
                    out.add(SpoolEntry.decode(payload));
                    pos += HEADER + payload.length;
                    read += HEADER + payload.length;
                }
            }
            return new Batch(seg.seq, pos, out);
        }
        return new Batch(0, 0, List.of());
    }

    /** Kafka acknowledged {@code batch}: records the progress; deletes a segment fully acknowledged but the newest. */
    void acked(Batch batch) throws IOException {
        Segment seg = segments.get(batch.seq());
        if (seg == null) {
            return;
        }
        seg.ackedOffset = batch.endOffset();
        seg.ackedEntries += batch.entries().size();
        if (!batch.entries().isEmpty()) {
            // The next entry is at least as new as the last one acknowledged.
            seg.firstAppendedAt = batch.entries().get(batch.entries().size() - 1).appendedAt();
        }
        if (seg.ackedOffset >= seg.bytes && seg != activeSegment) {
            delete(seg);
        } else {
            Files.writeString(ackedPath(seg.seq), Long.toString(seg.ackedOffset), StandardCharsets.US_ASCII);
        }
    }

    /** Whether Kafka acknowledged everything appended. */
    boolean drained() {
        for (Segment seg : segments.values()) {
            if (seg.ackedOffset < seg.bytes) {
                return false;
            }
        }
        return true;
    }

    /** Once {@link #drained()}: deletes every segment; the next append starts a new one. */
    void clear() throws IOException {
        if (active != null) {
            active.close();
            active = null;
            activeSegment = null;
        }
        for (Segment seg : new ArrayList<>(segments.values())) {
            delete(seg);
        }
    }

    private void delete(Segment seg) throws IOException {
        segments.remove(seg.seq);
        Files.deleteIfExists(ackedPath(seg.seq));
        Files.deleteIfExists(seg.path);
    }

    /** Bytes in the segment files. */
    long bytes() {
        long n = 0;
        for (Segment s : segments.values()) {
            n += s.bytes;
        }
        return n;
    }

    /** Records not yet acknowledged by Kafka. */
    long entries() {
        long n = 0;
        for (Segment s : segments.values()) {
            n += s.entries - s.ackedEntries;
        }
        return n;
    }

    /** When the oldest segment still held was started (ms since the epoch), or 0 when there is none. */
    long oldestAppendedAt() {
        for (Segment s : segments.values()) {
            if (s.ackedOffset < s.bytes) {
                return s.firstAppendedAt;
            }
        }
        return 0;
    }

    /** The segment files' state, for tests and the stats API: sequence → bytes. */
    Map<Long, Long> sizes() {
        Map<Long, Long> out = new TreeMap<>();
        segments.forEach((k, v) -> out.put(k, v.bytes));
        return out;
    }

    private Path segmentPath(long seq) {
        return dir.resolve(String.format("%020d.spool", seq));
    }

    private Path ackedPath(long seq) {
        return dir.resolve(String.format("%020d.acked", seq));
    }

    @Override
    public void close() throws IOException {
        if (active != null) {
            active.force(true);
            active.close();
            active = null;
        }
    }
}
