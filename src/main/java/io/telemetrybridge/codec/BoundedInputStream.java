package io.telemetrybridge.codec;

import io.telemetrybridge.error.RequestTooLargeException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes bytes through until {@code limit} have been read, then throws {@link RequestTooLargeException}: a
 * small gzip body that inflates to gigabytes is stopped after {@code limit} bytes, never inflated whole.
 */
public final class BoundedInputStream extends FilterInputStream {

    /** Room asked for bytes as they are read past what was granted; throws to stop the reading. */
    @FunctionalInterface
    public interface Room {
        /** @throws RuntimeException when {@code bytes} more cannot be held now */
        void ask(long bytes);
    }

    /** Room is asked for in steps of this many bytes (fewer calls; the step is held until the request ends). */
    static final long ROOM_STEP = 256 * 1024;

    private final long limit;
    private final Room room;
    private long granted;
    private long count;

    public BoundedInputStream(InputStream in, long limit) {
        this(in, limit, null, 0);
    }

    /**
     * @param room    asked for more before the bytes read pass {@code granted}; null: no one to ask
     * @param granted bytes already held for this stream (the body as received)
     */
    public BoundedInputStream(InputStream in, long limit, Room room, long granted) {
        super(in);
        this.limit = limit;
        this.room = room;
        this.granted = granted;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        // One byte past the limit is enough to tell; written so that a limit near Long.MAX_VALUE cannot overflow.
        long room = limit - count;
        int n = super.read(buffer, offset, room < length ? (int) room + 1 : length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        count += n;
        if (count > limit) {
            throw new RequestTooLargeException(limit);
        }
        if (room != null && count > granted) {
            // Never asked past the limit: a budget as small as the limit must still let one body in.
            long step = Math.max(count - granted, Math.min(ROOM_STEP, limit - granted));
            room.ask(step);
            granted += step;
        }
    }
}
