package io.telemetrybridge.ingest;

import java.nio.file.Path;

/**
 * Bounds of file-drop ingestion ({@code bridge.file.*}), validated at start-up.
 *
 * @param chunkRecords  most records of one chunk of a {@code .jsonl} file (published and acknowledged together)
 * @param chunkBytes    about the most bytes of lines in one chunk
 * @param maxLineBytes  longest {@code .jsonl} line read; a longer one is a bad line (dead-lettered with its start)
 * @param maxBatchBytes largest {@code .json} batch file; a larger one is moved to {@code .error/} unread
 * @param orphanLockMs  how long a read lock nobody renews stays before it is taken for a dead bridge's, in ms
 * @param inbox         the drop folder; each signal reads its own subfolder ({@code inbox/metrics}, ...)
 * @param quietPeriodMs how long a file must stay unchanged before it is read, in ms
 */
public record FileSettings(int chunkRecords, long chunkBytes, int maxLineBytes, long maxBatchBytes,
        long orphanLockMs, Path inbox, long quietPeriodMs) {}
