package io.telemetrybridge.ingest;

import io.telemetrybridge.model.ExchangeProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrybridge.codec.ContentCoding;
import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.error.RequestTooLargeException;
import io.telemetrybridge.codec.MediaTypes;
import io.telemetrybridge.codec.SeedReader;
import io.telemetrybridge.error.UnsupportedMediaTypeException;
import io.telemetrybridge.deadletter.DeadLetter;
import io.telemetrybridge.deadletter.DeadLetters;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.Source;
import io.telemetrybridge.observe.BridgeMeters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.telemetrybridge.http.HttpAnswer;
import io.telemetrybridge.http.InFlightBound;
import org.apache.camel.Exchange;

/**
 * Route steps of the seed's HTTP API ({@code POST /api/v1/metrics|traces|logs}): read and validate the whole
 * batch before anything is sent, then, after Kafka acknowledged every record, answer with the seed's write
 * result {@code {"records_written": n, "records_failed": 0, "duration_ms": t}}.
 */
public final class HttpIngest {

    private final SeedReader reader;
    private final TelemetryRecords records;
    private final BridgeMeters meters;
    private final ObjectMapper mapper;
    private final long maxDecompressedBytes;
    private final DeadLetters deadLetters;
    private final InFlightBound inFlight;
    private final int retryAfterSeconds;

    /**
     * @param maxDecompressedBytes largest body once decompressed ({@code bridge.http.max-decompressed-bytes})
     * @param inFlight             the front doors' bound, which a compressed body must find room in as it inflates
     * @param retryAfterSeconds    the delay a request is told to retry after when it does not
     */
    public HttpIngest(SeedReader reader, TelemetryRecords records, BridgeMeters meters, ObjectMapper mapper,
            long maxDecompressedBytes, DeadLetters deadLetters, InFlightBound inFlight, int retryAfterSeconds) {
        this.deadLetters = deadLetters;
        this.inFlight = inFlight;
        this.retryAfterSeconds = retryAfterSeconds;
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.reader = reader;
        this.records = records;
        this.meters = meters;
        this.mapper = mapper;
    }

    /**
     * Parses the request body as a batch of {@code signal} and makes it the list of records to send.
     *
     * @throws UnsupportedMediaTypeException unless the body is declared {@code application/json}, or for a
     *                                       {@code Content-Encoding} other than {@code gzip} or {@code identity}
     * @throws RequestTooLargeException      when the body inflates past {@code bridge.http.max-decompressed-bytes}
     * @throws InvalidInputException         for an empty, malformed or invalid batch (nothing is sent)
     */
    public void readBatch(Exchange exchange, String signal) {
        Signal s = Signal.of(signal);
        exchange.setProperty(ExchangeProperties.SIGNAL, s);
        exchange.setProperty(ExchangeProperties.SOURCE, Source.HTTP);
        MediaTypes.require(MediaTypes.header(exchange.getMessage(), Exchange.CONTENT_TYPE), MediaTypes.JSON);
        byte[] body = exchange.getMessage().getBody(byte[].class);
        meters.requestBytes(s, Source.HTTP, body == null ? 0 : body.length);
        // Kept as received: a dead letter of this request holds the bytes the client sent.
        exchange.getMessage().setBody(body);
        if (body == null || body.length == 0) {
            throw new InvalidInputException("", "empty request body: expected a " + batchName(s));
        }
        List<?> items;
        try {
            InFlightBound.Room room = inFlight.room(exchange, retryAfterSeconds);
            body = ContentCoding.decode(MediaTypes.header(exchange.getMessage(), "Content-Encoding"), body,
                    maxDecompressedBytes, room.ask(), room.granted());
            items = reader.readBatch(s, body);
        } catch (InvalidInputException e) {
            meters.rejected(s, Source.HTTP, 1);
            throw e;
        }
        records.toBody(exchange, s, Source.HTTP, items);
    }

    /** Writes the seed's write result once Kafka acknowledged every record of the request. */
    public void written(Exchange exchange) throws Exception {
        int count = meters.published(exchange);
        // Records a routing rule could not send: in the dead-letter queue, and counted as failed.
        List<DeadLetter> refused = TelemetryRecords.refused(exchange);
        refused.forEach(deadLetters::publish);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("records_written", count);
        int failed = 0;
        List<Map<String, Object>> failures = new ArrayList<>();
        for (DeadLetter letter : refused) {
            int n = Integer.parseInt(letter.context().getOrDefault("record.count", "1"));
            failed += n;
            failures.add(Map.of("records", n, "reason", letter.reason().getMessage()));
        }
        result.put("records_failed", failed);
        if (!failures.isEmpty()) {
            // Beyond the seed's answer: why, and that the records are in the dead-letter topic.
            result.put("failures", failures);
        }
        result.put("duration_ms", System.currentTimeMillis() - exchange.getClock().getCreated());
        HttpAnswer.write(exchange, 200, "application/json", mapper.writeValueAsBytes(result));
    }

    private static String batchName(Signal s) {
        return switch (s) {
            case METRICS -> "MetricsBatch";
            case TRACES -> "TracesBatch";
            case LOGS -> "LogsBatch";
        };
    }
}
