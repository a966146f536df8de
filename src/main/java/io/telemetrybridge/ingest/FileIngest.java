package io.telemetrybridge.ingest;

import io.telemetrybridge.codec.InvalidInputException;
import io.telemetrybridge.codec.SeedReader;
import io.telemetrybridge.deadletter.DeadLetter;
import io.telemetrybridge.deadletter.DeadLetters;
import io.telemetrybridge.kafka.KeyedRecord;
import io.telemetrybridge.kafka.RecordHeaders;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.observe.BridgeMeters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route steps of file-drop ingestion. The signal comes from the sub-folder ({@code inbox/metrics/} …); a
 * {@code *.json} file holds one seed batch, a {@code *.jsonl} file one item per line (extensions in any case).
 * Files must be UTF-8; a byte-order mark, CRLF line ends, blank lines and a missing final newline are all
 * accepted. In a {@code .jsonl} file each bad line (invalid UTF-8, invalid JSON, an invalid item, or a record
 * too large for Kafka) is logged with its file name and line number and counted; the good lines are published.
 * A {@code .json} file that is not a valid batch publishes nothing and is moved to {@code .error/} with a
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

    private final SeedReader reader;
    private final TelemetryRecords records;
    private final BridgeMeters meters;
    private final DeadLetters deadLetters;

    public FileIngest(SeedReader reader, TelemetryRecords records, BridgeMeters meters, DeadLetters deadLetters) {
        this.reader = reader;
        this.records = records;
        this.meters = meters;
        this.deadLetters = deadLetters;
    }

    /**
     * Reads the polled file and makes its records the body.
     *
     * @throws InvalidInputException for a {@code .json} file that is not a valid batch
     */
    public void readFile(Exchange exchange, String signal) {
        Signal s = Signal.of(signal);
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        exchange.setProperty(TelemetryRecords.SIGNAL, s);
        exchange.setProperty(ORIGINAL_NAME, name);
        exchange.setProperty(FOLDER, exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class));
        exchange.setProperty(OUTCOME, "done");
        exchange.setProperty(ARCHIVE_NAME, archiveName(name, exchange.getClock().getCreated()));
        byte[] bytes = withoutBom(exchange.getMessage().getBody(byte[].class));
        List<KeyedRecord> batch = name.toLowerCase(Locale.ROOT).endsWith(".jsonl")
                ? readLines(s, name, bytes, exchange.getFromRouteId()) : readBatch(s, bytes);
        records.toBody(exchange, s, "file", "application/json", RecordHeaders.SEED_SCHEMA_VERSION, batch);
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
        Signal signal = exchange.getProperty(TelemetryRecords.SIGNAL, Signal.class);
        meters.rejected(signal, "file", 1);
        deadLetters.publish(DeadLetter.of(signal.id(), "file", exchange.getFromRouteId(), e,
                exchange.getMessage().getBody(byte[].class)).with("file.name", exchange.getProperty(ORIGINAL_NAME))
                .with("file.moved.to", errorDir.resolve(archive)));
    }

    private List<KeyedRecord> readBatch(Signal signal, byte[] bytes) {
        String text = utf8(ByteBuffer.wrap(bytes));
        if (text.isBlank()) {
            throw new InvalidInputException("", "empty file: expected one JSON batch");
        }
        List<?> items = reader.readBatch(signal, text.getBytes(StandardCharsets.UTF_8));
        List<KeyedRecord> batch = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            batch.add(records.encode(signal, items.get(i), signal.id() + "[" + i + "]"));
        }
        return batch;
    }

    private List<KeyedRecord> readLines(Signal signal, String fileName, byte[] bytes, String routeId) {
        List<KeyedRecord> batch = new ArrayList<>();
        int lineNumber = 0;
        int rejected = 0;
        for (int start = 0; start < bytes.length; ) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            lineNumber++;
            try {
                String line = utf8(ByteBuffer.wrap(bytes, start, end - start));
                if (!line.isBlank()) {
                    batch.add(records.encode(signal, reader.readItem(signal, line), ""));
                }
            } catch (InvalidInputException e) {
                rejected++;
                LOG.warn("{} line {}: {}", fileName, lineNumber, e.getMessage());
                deadLetters.publish(DeadLetter.of(signal.id(), "file", routeId, e,
                        Arrays.copyOfRange(bytes, start, end)).with("file.name", fileName).with("file.line", lineNumber));
            }
            // CRLF is one line end; a lone CR or LF is one too.
            start = end + (end + 1 < bytes.length && bytes[end] == '\r' && bytes[end + 1] == '\n' ? 2 : 1);
        }
        if (rejected > 0) {
            meters.rejected(signal, "file", rejected);
            LOG.warn("{}: {} bad line(s) skipped, {} record(s) published", fileName, rejected, batch.size());
        }
        return batch;
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
    /**
     * Deletes the read-lock marker files ({@code *.camelLock}) a bridge killed while reading left in
     * {@code folder}: each would hide its file from every later poll. Camel's own orphan clean-up skips them, since
     * they do not match the route's {@code antInclude}. Called before the file routes start.
     *
     * @return the marker files deleted
     */
    public static int deleteOrphanLocks(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int deleted = 0;
        try (var files = Files.list(folder)) {
            for (Path lock : files.filter(f -> f.getFileName().toString().endsWith(".camelLock")).toList()) {
                Files.deleteIfExists(lock);
                deleted++;
                LOG.warn("Deleted the read lock {} left by an earlier run; its file will be read again", lock);
            }
        }
        return deleted;
    }

    static String archiveName(String name, long epochMillis) {
        int dot = name.lastIndexOf('.');
        String stamp = STAMP.format(java.time.Instant.ofEpochMilli(epochMillis));
        return dot < 0 ? name + "." + stamp : name.substring(0, dot) + "." + stamp + name.substring(dot);
    }
}
