package io.telemetrybridge.ingest;

import io.telemetrybridge.codec.SeedReader;
import io.telemetrybridge.deadletter.DeadLetter;
import io.telemetrybridge.deadletter.DeadLetters;
import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.kafka.RecordHeaders;
import io.telemetrybridge.model.ExchangeProperties;
import io.telemetrybridge.model.KeyedRecord;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.rules.RuleSet;
import io.telemetrybridge.model.Source;
import io.telemetrybridge.observe.BridgeMeters;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route steps of file-drop ingestion. The signal comes from the sub-folder ({@code inbox/metrics/} …); a
 * {@code *.json} file holds one seed batch, a {@code *.jsonl} file one item per line (extensions in any case).
 * Files must be UTF-8; a byte-order mark, CRLF line ends, blank lines and a missing final newline are all
 * accepted. A {@code .jsonl} file of any size is read incrementally and published in chunks, each acknowledged
 * by Kafka before the next is read, with its progress recorded ({@link FileProgress}) so a restart resumes after
 * the last acknowledged chunk. Each bad line (invalid UTF-8, invalid JSON, an invalid item, a record too large for
 * Kafka, a line over {@code bridge.file.max-line-bytes}) is logged with its file name and line number, counted
 * and dead-lettered once its chunk's good lines are on Kafka. A {@code .json} file that is not a valid batch, or
 * is over {@code bridge.file.max-batch-bytes}, publishes nothing and is moved to {@code .error/} with a
 * {@code .reason.txt} beside it.
 */
public final class FileIngest {

    /** Exchange property: {@code done} or {@code error}, the folder the file is moved to after the exchange. */
    public static final String OUTCOME = "telemetryFileOutcome";
    /** Exchange property: the name the file gets in {@code .done/} or {@code .error/}. */
    public static final String ARCHIVE_NAME = "telemetryFileArchive";
    /** Exchange property: the folder of the file, where {@code ../.error/<signal>/} is resolved. */
    private static final String FOLDER = "telemetryFileFolder";
    private static final String ORIGINAL_NAME = "telemetryFileName";

    private static final Logger LOG = LoggerFactory.getLogger(FileIngest.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Bytes of a refused file kept in its dead letter (the dead-letter topic cuts it further). */
    private static final int DEAD_LETTER_HEAD = 1 << 20;
    private static final String PATH = "telemetryFilePath";
    private static final String CHUNK = "telemetryFileChunk";

    private final SeedReader reader;
    private final TelemetryRecords records;
    private final BridgeMeters meters;
    private final DeadLetters deadLetters;
    private final FileSettings limits;
    private final InboxLocks locks;
    private final ExecutorService readAhead;

    /**
     * @param readAhead threads that parse the next chunk of a {@code .jsonl} file while Kafka takes the current one
     *                  (one chunk ahead per file, so memory stays bounded)
     */
    public FileIngest(SeedReader reader, TelemetryRecords records, BridgeMeters meters, DeadLetters deadLetters,
            FileSettings limits, InboxLocks locks, ExecutorService readAhead) {
        this.readAhead = readAhead;
        this.limits = limits;
        this.locks = locks;
        this.reader = reader;
        this.records = records;
        this.meters = meters;
        this.deadLetters = deadLetters;
    }

    /**
     * One chunk of a dropped file, as the route's split step carries it: its records, the dead letters of its bad
     * lines (written once Kafka acknowledged the records), and the progress to record then (null for a
     * {@code .json} batch, which is one chunk).
     */
    public record Chunk(Signal signal, Path file, List<KeyedRecord> records, List<DeadLetter> badLines,
            FileProgress progress) {}

    /**
     * Split expression of the file routes: the polled file as chunks, read lazily. A {@code .jsonl} file is read
     * incrementally from where its last acknowledged chunk ended ({@link FileProgress}), in chunks of at most
     * {@link FileSettings#chunkRecords} records; a {@code .json} batch is one chunk.
     *
     * @throws InvalidInputException for a {@code .json} file that is not a valid batch, or is larger than
     *                               {@code bridge.file.max-batch-bytes}
     */
    public Iterator<Chunk> chunks(Exchange exchange, String signal) throws IOException {
        Signal s = Signal.of(signal);
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        exchange.setProperty(ExchangeProperties.SIGNAL, s);
        exchange.setProperty(ORIGINAL_NAME, name);
        exchange.setProperty(FOLDER, exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class));
        exchange.setProperty(OUTCOME, "done");
        exchange.setProperty(ARCHIVE_NAME, archiveName(name, exchange.getClock().getCreated()));
        Path file = Path.of(exchange.getMessage().getHeader("CamelFileAbsolutePath", String.class));
        exchange.setProperty(PATH, file);
        locks.reading(exchange, file);
        if (!InboxFiles.lines(name)) {
            return List.of(new Chunk(s, file, readBatch(s, file, RuleSet.find(exchange, null)), List.of(), null)).iterator();
        }
        FileProgress from = FileProgress.resume(file);
        if (from.offset() > 0) {
            LOG.info("{}: resuming after byte {} (line {}), where the last acknowledged chunk ended", name,
                    from.offset(), from.line());
        }
        JsonlChunks lines = new JsonlChunks(file, from.offset(), from.line(), limits.chunkRecords(),
                limits.chunkBytes(), limits.maxLineBytes());
        return new ChunkIterator(lines, s, file, name, exchange.getFromRouteId(), from, RuleSet.find(exchange, null));
    }

    /** Split step: the chunk's records become the body, with our record headers only. */
    public void publish(Exchange exchange) {
        Chunk chunk = exchange.getMessage().getBody(Chunk.class);
        exchange.setProperty(CHUNK, chunk);
        records.toBody(exchange, chunk.signal(), Source.FILE, "application/json", RecordHeaders.SEED_SCHEMA_VERSION,
                chunk.records());
    }

    /**
     * Split step after Kafka acknowledged the chunk: counts its records, dead-letters its bad lines (only now, so
     * a chunk sent again after a transient failure does not letter them twice) and records the progress.
     */
    public void acknowledged(Exchange exchange) throws IOException {
        Chunk chunk = exchange.getProperty(CHUNK, Chunk.class);
        meters.published(exchange);
        if (!chunk.badLines().isEmpty()) {
            chunk.badLines().forEach(deadLetters::publish);
            meters.rejected(chunk.signal(), Source.FILE, chunk.badLines().size());
            LOG.warn("{}: {} bad line(s) skipped, {} record(s) published", chunk.file().getFileName(),
                    chunk.badLines().size(), chunk.records().size());
        }
        TelemetryRecords.refused(exchange).forEach(deadLetters::publish);
        if (chunk.progress() != null) {
            chunk.progress().save(chunk.file());
        }
    }

    /** Marks the file for {@code .error/} and writes why beside it. Called for permanent errors only. */
    public void rejected(Exchange exchange) throws IOException {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.setProperty(OUTCOME, "error");
        String folder = exchange.getProperty(FOLDER, String.class);
        String archive = exchange.getProperty(ARCHIVE_NAME, String.class);
        Path errorDir = Path.of(folder).resolveSibling(".error").resolve(Path.of(folder).getFileName());
        Files.createDirectories(errorDir);
        Files.writeString(errorDir.resolve(archive + ".reason.txt"), e.getMessage() + "\n");
        LOG.warn("Rejected file {} (moved to {} as {}): {}", exchange.getProperty(ORIGINAL_NAME), errorDir, archive,
                e.getMessage());
        Signal signal = exchange.getProperty(ExchangeProperties.SIGNAL, Signal.class);
        meters.rejected(signal, Source.FILE, 1);
        // The file's first bytes only: it may be far larger than a dead letter holds.
        Path file = exchange.getProperty(PATH, Path.class);
        byte[] head;
        try (var in = Files.newInputStream(file)) {
            head = in.readNBytes(DEAD_LETTER_HEAD);
        }
        deadLetters.publish(DeadLetter.of(signal.id(), Source.FILE, exchange.getFromRouteId(), e, head)
                .with("file.name", exchange.getProperty(ORIGINAL_NAME))
                .with("file.size", Files.size(file))
                .with("file.moved.to", errorDir.resolve(archive)));
    }

    /** Adds {@code record} unless a drop rule left its item out (null). */
    private static void add(List<KeyedRecord> batch, KeyedRecord record) {
        if (record != null) {
            batch.add(record);
        }
    }

    private List<KeyedRecord> readBatch(Signal signal, Path file, RuleSet rules) throws IOException {
        long size = Files.size(file);
        if (size > limits.maxBatchBytes()) {
            throw new InvalidInputException("", "the batch file is " + size + " bytes, over bridge.file.max-batch-bytes ("
                    + limits.maxBatchBytes() + "); drop large data as .jsonl (one item per line), which is read in "
                    + "chunks");
        }
        String text;
        List<?> items;
        try {
            text = utf8(ByteBuffer.wrap(withoutBom(Files.readAllBytes(file))));
            if (text.isBlank()) {
                throw new InvalidInputException("", "empty file: expected one JSON batch");
            }
            items = reader.readBatch(signal, text.getBytes(StandardCharsets.UTF_8));
        } catch (OutOfMemoryError e) {
            // Never a retry loop: the same file would fail the same way at every poll.
            throw new InvalidInputException("", "the batch file (" + size + " bytes) does not fit in the heap; lower "
                    + "bridge.file.max-batch-bytes or drop it as .jsonl");
        }
        List<KeyedRecord> batch = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            add(batch, records.encode(signal, items.get(i), signal.id() + "[" + i + "]", rules));
        }
        return batch;
    }

    /** The chunks of a {@code .jsonl} file: each line parsed, bad lines kept as dead letters for later. */
    private final class ChunkIterator implements Iterator<Chunk>, Closeable {
        private final JsonlChunks lines;
        private final Signal signal;
        private final Path file;
        private final String name;
        private final String routeId;
        private final FileProgress progress;
        private final RuleSet rules;

        ChunkIterator(JsonlChunks lines, Signal signal, Path file, String name, String routeId, FileProgress progress,
                RuleSet rules) {
            this.rules = rules;
            this.lines = lines;
            this.signal = signal;
            this.file = file;
            this.name = name;
            this.routeId = routeId;
            this.progress = progress;
        }

        /** The next chunk, being parsed on a read-ahead thread while the route publishes the current one. */
        private Future<Chunk> ahead;

        @Override
        public boolean hasNext() {
            return ahead != null || lines.hasNext();
        }

        /**
         * The next chunk; starts parsing the one after it at once. Nothing of it is published before the route
         * asks for it, that is after Kafka acknowledged the current chunk, so progress stays in order.
         */
        @Override
        public Chunk next() {
            Chunk next;
            if (ahead == null) {
                next = parse();
            } else {
                try {
                    next = ahead.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading " + name, e);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                } finally {
                    ahead = null;
                }
            }
            if (lines.hasNext()) {
                ahead = readAhead.submit(this::parse);
            }
            return next;
        }

        private Chunk parse() {
            JsonlChunks.Lines chunk = lines.next();
            List<KeyedRecord> batch = new ArrayList<>(chunk.lines().size());
            List<DeadLetter> bad = new ArrayList<>();
            for (int i = 0; i < chunk.lines().size(); i++) {
                byte[] raw = chunk.lines().get(i);
                long number = chunk.lineNumbers().get(i);
                try {
                    if (chunk.tooLong().get(i)) {
                        throw new InvalidInputException("", "the line is longer than bridge.file.max-line-bytes ("
                                + limits.maxLineBytes() + " bytes)");
                    }
                    if (ascii(raw)) {
                        // Plain ASCII is valid UTF-8: parsed from its bytes, without decoding it first.
                        if (!blank(raw)) {
                            add(batch, records.encode(signal, reader.readItem(signal, raw), "", rules));
                        }
                    } else {
                        String text = utf8(ByteBuffer.wrap(raw));
                        if (!text.isBlank()) {
                            add(batch, records.encode(signal, reader.readItem(signal, text), "", rules));
                        }
                    }
                } catch (InvalidInputException e) {
                    LOG.warn("{} line {}: {}", name, number, e.getMessage());
                    bad.add(DeadLetter.of(signal.id(), Source.FILE, routeId, e, raw).with("file.name", name)
                            .with("file.line", number));
                }
            }
            return new Chunk(signal, file, batch, bad, progress.at(chunk.endOffset(), chunk.endLine()));
        }

        @Override
        public void close() throws IOException {
            Future<Chunk> pending = ahead;
            if (pending != null) {
                // The reader must be done with the file before it is closed (and moved).
                pending.cancel(false);
                try {
                    pending.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | CancellationException e) {
                    // a chunk nobody will publish
                }
            }
            lines.close();
        }
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean blank(byte[] ascii) {
        for (byte b : ascii) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    /** Decodes strictly: bytes that are not UTF-8 are an error, never silently replaced. */
    private static String utf8(ByteBuffer bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int start = bytes.position();
        try {
            CharBuffer chars = decoder.decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("", "not valid UTF-8 (near byte " + (bytes.position() - start) + ")");
        }
    }

    private static byte[] withoutBom(byte[] bytes) {
        boolean bom = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF;
        return bom ? Arrays.copyOfRange(bytes, 3, bytes.length) : bytes;
    }

    /** {@code name.json} becomes {@code name.20261130T052300.123Z.json}: files of the same name never clash. */
    static String archiveName(String name, long epochMillis) {
        int dot = name.lastIndexOf('.');
        String stamp = STAMP.format(Instant.ofEpochMilli(epochMillis));
        return dot < 0 ? name + "." + stamp : name.substring(0, dot) + "." + stamp + name.substring(dot);
    }
}
