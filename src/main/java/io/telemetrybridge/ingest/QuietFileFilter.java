package io.telemetrybridge.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

/**
 * The filter of the file routes: lets the file consumer take a file that {@link InboxFiles#counts counts}, and only
 * once its size and modification time have stayed the same for the
 * quiet period, measured on the bridge's clock across polls (a copy tool may set any modification time, so
 * that alone proves nothing). Unlike Camel's {@code readLock=changed}, which waits out the quiet period file by
 * file inside one poll, every file that has become quiet is taken at the same poll: a hundred small files
 * dropped together take one quiet period, not a hundred.
 */
public final class QuietFileFilter implements GenericFileFilter<Object> {

    private record Seen(long length, long lastModified, long sinceNanos) {}

    private final long quietNanos;
    private final LongSupplier clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    /** @param quietPeriodMs how long a file's size must stay unchanged, in milliseconds */
    public QuietFileFilter(long quietPeriodMs) {
        this(quietPeriodMs, System::nanoTime);
    }

    QuietFileFilter(long quietPeriodMs, LongSupplier clock) {
        this.quietNanos = quietPeriodMs * 1_000_000L;
        this.clock = clock;
    }

    @Override
    public boolean accept(GenericFile<Object> file) {
        if (file.isDirectory() || !InboxFiles.counts(file.getFileNameOnly())) {
            return false;
        }
        String path = file.getAbsoluteFilePath();
        long now = clock.getAsLong();
        Seen before = seen.get(path);
        if (before == null || before.length() != file.getFileLength() || before.lastModified() != file.getLastModified()) {
            seen.put(path, new Seen(file.getFileLength(), file.getLastModified(), now));
            forgetOld(now);
            return false;
        }
        if (now - before.sinceNanos() < quietNanos) {
            return false;
        }
        seen.remove(path);
        return true;
    }

    /** Files that vanished without being taken must not pile up here. */
    private void forgetOld(long now) {
        if (seen.size() > 10_000) {
            seen.values().removeIf(s -> now - s.sinceNanos() > 3_600_000_000_000L);
        }
    }
}
