package io.telemetrybridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** File drops as the file tests make them, and waiting on their outcome. */
public final class Drops {

    private Drops() {}

    /** Writes under a temporary name, then renames: how a well-behaved producer drops a file. */
    public static void drop(Path inbox, String signal, String name, byte[] content) throws IOException {
        Path dir = inbox.resolve(signal);
        Files.createDirectories(dir);
        Path part = dir.resolve(name + ".part");
        Files.write(part, content);
        Files.move(part, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The regular files in {@code dir}; none when it does not exist. */
    public static List<Path> filesIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code condition} holds, polling every 100 ms. */
    public static void awaitTrue(BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + within);
            }
            Topics.sleep(100);
        }
    }
}
