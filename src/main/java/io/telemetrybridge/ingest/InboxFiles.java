package io.telemetrybridge.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Which files of an inbox folder are telemetry to read: {@code *.json} (one batch) and {@code *.jsonl} (one item
 * per line), extensions in any case; never a hidden file ({@code .name}: our progress files, a copy tool's
 * temporaries) and never a folder. A file still being written should be dropped under another name
 * ({@code name.jsonl.part}, {@code name.tmp}) and renamed when complete. The one rule the file routes' filter
 * ({@link QuietFileFilter}), the backlog gauge ({@link #waiting}) and {@link FileIngest} follow.
 */
public final class InboxFiles {

    private InboxFiles() {}

    /** Whether a file named {@code name} (no folder) is one to read. */
    public static boolean counts(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".json") || n.endsWith(".jsonl"));
    }

    /** Whether {@code name} is a {@code .jsonl} file, read line by line in chunks; else it is one batch. */
    static boolean lines(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".jsonl");
    }

    /** How many files of {@code folder} {@link #counts count} and wait to be read; 0 when it cannot be listed. */
    public static long waiting(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> counts(f.getFileName().toString()) && Files.isRegularFile(f)).count();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
