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

    private final long limit;
    private long count;

    public BoundedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
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

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    private void count(int n) {
        count += n;
        if (count > limit) {
            throw new RequestTooLargeException(limit);
        }
    }
}
