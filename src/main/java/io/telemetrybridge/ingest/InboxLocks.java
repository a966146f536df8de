package io.telemetrybridge.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import io.telemetrybridge.model.Signal;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-lock marker files ({@code <name>.camelLock}) of an inbox shared by several bridges. A bridge killed
 * while reading leaves its marker behind, which would hide the file from every bridge for ever; but a marker
 * may also be another running bridge's. So a bridge keeps its own markers fresh (their modification time is
 * renewed at each {@link #sweep}, while it reads their file) and deletes only markers that neither they nor the
 * file's progress ({@link FileProgress}) changed for {@code orphanAfterMs}: then the file is read again from its
 * last acknowledged chunk. Progress files of files moved away are deleted too.
 */
public final class InboxLocks {

    private static final Logger LOG = LoggerFactory.getLogger(InboxLocks.class);
    private static final String SUFFIX = ".camelLock";

    private final long orphanAfterMs;
    private final Set<Path> reading = ConcurrentHashMap.newKeySet();

    /** @param orphanAfterMs how long a marker nobody renews stays before it is taken for a dead bridge's, in ms */
    public InboxLocks(long orphanAfterMs) {
        this.orphanAfterMs = orphanAfterMs;
    }

    /**
     * Sweeps every signal's folder of {@code inbox} now and then every 5 s: renews this bridge's markers, and
     * frees the files of a bridge that died while reading them.
     */
    public void keep(Path inbox, ScheduledExecutorService scheduler) {
        Runnable sweep = () -> {
            for (Signal s : Signal.values()) {
                sweep(inbox.resolve(s.id()));
            }
        };
        sweep.run();
        scheduler.scheduleWithFixedDelay(sweep, 5, 5, TimeUnit.SECONDS);
    }

    /** This bridge reads {@code file} for the exchange; its marker is renewed until the exchange is done. */
    void reading(Exchange exchange, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        reading.add(absolute);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                reading.remove(absolute);
            }
        });
    }

    /**
     * Renews the markers of the files this bridge reads in {@code folder} and deletes the orphaned ones.
     *
     * @return the markers deleted
     */
    public int sweep(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int deleted = 0;
        long now = System.currentTimeMillis();
        try (var files = Files.list(folder)) {
            FileProgress.sweep(folder);
            for (Path lock : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                String name = lock.getFileName().toString();
                Path data = lock.resolveSibling(name.substring(0, name.length() - SUFFIX.length()));
                if (reading.contains(data.toAbsolutePath().normalize())) {
                    Files.setLastModifiedTime(lock, FileTime.fromMillis(now));
                    continue;
                }
                long touched = Files.getLastModifiedTime(lock).toMillis();
                Path progress = FileProgress.of(data);
                if (Files.exists(progress)) {
                    touched = Math.max(touched, Files.getLastModifiedTime(progress).toMillis());
                }
                if (now - touched > orphanAfterMs) {
                    Files.deleteIfExists(lock);
                    deleted++;
                    LOG.warn("Deleted the read lock {}: no bridge renewed it for {} ms; its file will be read again "
                            + "from its last acknowledged chunk", lock, now - touched);
                }
            }
        } catch (IOException | RuntimeException e) {
            // A file moved away while looking: the next sweep sees the folder as it is then.
            LOG.debug("Sweep of {} stopped: {}", folder, e.toString());
        }
        return deleted;
    }
}
