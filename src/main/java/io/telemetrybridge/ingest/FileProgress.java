package io.telemetrybridge.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * How far a dropped {@code .jsonl} file has been published: a hidden file {@code .<name>.progress} beside it
 * (never read as input), written after each chunk Kafka acknowledged, holding the file's size and modification
 * time (so a different file of the same name starts over), the byte offset and the line number the next chunk
 * starts after. A bridge restarted after a crash, or another bridge on the same inbox, resumes there instead of
 * publishing the whole file again; what was sent but not yet recorded is sent again (at-least-once). Written
 * atomically (a temporary file moved over the old one).
 *
 * @param size     the file's size when the offset was recorded, in bytes
 * @param modified its modification time then, epoch milliseconds
 * @param offset   bytes already published (the next chunk starts here)
 * @param line     lines read up to {@code offset}
 */
record FileProgress(long size, long modified, long offset, long line) {

    /** The progress file of {@code file}. */
    static Path of(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".progress");
    }

    /** Where publishing {@code file} resumes: after the recorded offset when it is the same file, else at 0. */
    static FileProgress resume(Path file) throws IOException {
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        Path progress = of(file);
        if (Files.exists(progress)) {
            try {
                String[] f = Files.readString(progress, StandardCharsets.US_ASCII).trim().split(" ");
                FileProgress p = new FileProgress(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Long.parseLong(f[3]));
                if (p.size == size && p.modified == modified && p.offset <= size) {
                    return p;
                }
            } catch (RuntimeException | IOException unreadable) {
                // A torn or foreign progress file: publish from the start (at-least-once).
            }
        }
        return new FileProgress(size, modified, 0, 0);
    }

    /** The same file, {@code offset} bytes ({@code line} lines) further. */
    FileProgress at(long offset, long line) {
        return new FileProgress(size, modified, offset, line);
    }

    /** Records this progress of {@code file}: everything before {@link #offset} is on Kafka. */
    void save(Path file) throws IOException {
        Path target = of(file);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, size + " " + modified + " " + offset + " " + line + "\n", StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes progress files in {@code folder} whose file is gone (moved to {@code .done/} or {@code .error/}).
     *
     * @return how many were deleted
     */
    static int sweep(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int deleted = 0;
        try (var files = Files.list(folder)) {
            for (Path p : files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(".") && n.endsWith(".progress");
            }).toList()) {
                String n = p.getFileName().toString();
                Path data = p.resolveSibling(n.substring(1, n.length() - ".progress".length()));
                if (!Files.exists(data)) {
                    Files.deleteIfExists(p);
                    deleted++;
                }
            }
        }
        return deleted;
    }
}
