package io.telemetrybridge.ingest;

import io.telemetrybridge.codec.InvalidInputException;
import io.telemetrybridge.codec.SeedReader;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.observe.BridgeMeters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route steps of file-drop ingestion. The signal comes from the sub-folder ({@code inbox/metrics/} …); a
 * {@code *.json} file holds one seed batch, a {@code *.jsonl} file one item per line. A byte-order mark, CRLF or
 * CR line ends, blank lines and a missing final newline are all accepted. In a {@code .jsonl} file each bad
 * line is logged with its file name and line number and counted; the good lines are published. A
 * {@code .json} file that is not a valid batch publishes nothing and is moved to {@code .error/} with a
 * {@code .reason.txt} beside it.
 */
public final class FileIngest {

    /** Exchange property: {@code done} or {@code error}, the folder the file is moved to after the exchange. */
    public static final String OUTCOME = "telemetryFileOutcome";
    /** Exchange property: the name the file gets in {@code .done/} or {@code .error/}. */
    public static final String ARCHIVE_NAME = "telemetryFileArchive";
    /** Exchange property: the folder of the file, where {@code ../.error/<signal>/} is resolved. */
    private static final String FOLDER = "telemetryFileFolder";

    private static final Logger LOG = LoggerFactory.getLogger(FileIngest.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final SeedReader reader;
    private final TelemetryRecords records;
    private final BridgeMeters meters;

    public FileIngest(SeedReader reader, TelemetryRecords records, BridgeMeters meters) {
        this.reader = reader;
        this.records = records;
        this.meters = meters;
    }

    /**
     * Reads the polled file and makes its records the body.
     *
     * @throws InvalidInputException for a {@code .json} file that is not a valid batch
     */
    public void readFile(Exchange exchange, String signal) {
        Signal s = Signal.of(signal);
        String name = exchange.getMessage().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        exchange.setProperty(FOLDER, exchange.getMessage().getHeader(Exchange.FILE_PARENT, String.class));
        exchange.setProperty(OUTCOME, "done");
        exchange.setProperty(ARCHIVE_NAME, archiveName(name, exchange.getClock().getCreated()));
        String text = withoutBom(exchange.getMessage().getBody(byte[].class));
        List<?> items = name.endsWith(".jsonl") ? readLines(s, name, text) : readBatch(s, text);
        records.toBody(exchange, s, "file", items);
    }

    /** Marks the file for {@code .error/} and writes why beside it. Called for permanent errors only. */
    public void rejected(Exchange exchange) throws IOException {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        exchange.setProperty(OUTCOME, "error");
        Signal signal = exchange.getProperty(TelemetryRecords.SIGNAL, Signal.class);
        String archive = exchange.getProperty(ARCHIVE_NAME, String.class);
        Path errorDir = Path.of(exchange.getProperty(FOLDER, String.class)).resolveSibling(".error")
                .resolve(Path.of(exchange.getProperty(FOLDER, String.class)).getFileName());
        Files.createDirectories(errorDir);
        Files.writeString(errorDir.resolve(archive + ".reason.txt"), e.getMessage() + "\n");
        LOG.warn("Rejected file {} (moved to {}): {}", archive, errorDir, e.getMessage());
        if (signal != null) {
            meters.rejected(signal, "file", 1);
        }
    }

    private List<?> readBatch(Signal signal, String text) {
        if (text.isBlank()) {
            throw new InvalidInputException("", "empty file: expected one JSON batch");
        }
        return reader.readBatch(signal, text.getBytes(StandardCharsets.UTF_8));
    }

    private List<Object> readLines(Signal signal, String fileName, String text) {
        List<Object> items = new ArrayList<>();
        int lineNumber = 0;
        int rejected = 0;
        for (Iterator<String> lines = text.lines().iterator(); lines.hasNext(); ) {
            String line = lines.next();
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                items.add(reader.readItem(signal, line));
            } catch (InvalidInputException e) {
                rejected++;
                LOG.warn("{} line {}: {}", fileName, lineNumber, e.getMessage());
            }
        }
        if (rejected > 0) {
            meters.rejected(signal, "file", rejected);
            LOG.warn("{}: {} bad line(s) skipped, {} record(s) published", fileName, rejected, items.size());
        }
        return items;
    }

    private static String withoutBom(byte[] bytes) {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    }

    /** {@code name.json} becomes {@code name.20261130T052300.123Z.json}: files of the same name never clash. */
    static String archiveName(String name, long epochMillis) {
        int dot = name.lastIndexOf('.');
        String stamp = STAMP.format(java.time.Instant.ofEpochMilli(epochMillis));
        return dot < 0 ? name + "." + stamp : name.substring(0, dot) + "." + stamp + name.substring(dot);
    }
}
