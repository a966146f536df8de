package io.telemetrybridge.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrybridge.error.OversizedRecordException;
import io.telemetrybridge.model.ExchangeProperties;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.Source;
import io.telemetrybridge.observe.BridgeMeters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends dead letters to the dead-letter route ({@code direct:dead-letter}, which writes the dead-letter topic).
 * The record value is the original payload, cut to {@code bridge.dlq.max-payload-bytes}; its headers say what
 * failed (names modelled on Kafka Connect's {@code __connect.errors.*}). When the dead-letter topic cannot be
 * written either, the letter goes to the local dead-letter folder (payload + metadata JSON) and is counted
 * there: a dead letter is never only logged.
 */
public final class DeadLetters {

    public static final String HEADER_PREFIX = "telemetry.dlq.";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CamelContext context;
    private final BridgeMeters meters;
    private final int maxPayloadBytes;
    private final Path folder;
    private volatile ProducerTemplate template;

    public DeadLetters(CamelContext context, BridgeMeters meters, int maxPayloadBytes, Path folder) {
        this.context = context;
        this.meters = meters;
        this.maxPayloadBytes = maxPayloadBytes;
        this.folder = folder;
    }

    /**
     * Route step of the error handlers ({@code routes/route-configurations.camel.yaml}) for a request refused as a
     * whole (400, 413): dead-letters it with the caught exception as the reason, its body and how it came in
     * (exchange properties {@link ExchangeProperties#SIGNAL} and {@link ExchangeProperties#SOURCE}; HTTP path and
     * media type, or gRPC method). Nothing of such a request was published.
     */
    public void refused(Exchange exchange) {
        publish(DeadLetter.ofRequest(exchange, exchange.getProperty(ExchangeProperties.SOURCE, Source.OTLP_HTTP,
                Source.class), exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)));
    }

    /**
     * Publishes {@code letter}; never throws. A letter for an item too large for Kafka keeps its metadata
     * ({@code record.size}, {@code record.limit}, {@code field}, the original {@code payload.size}), not its bytes.
     */
    public void publish(DeadLetter letter) {
        if (letter.reason() instanceof OversizedRecordException o) {
            letter = new DeadLetter(letter.signal(), letter.source(), letter.routeId(), o, new byte[0],
                    letter.context()).with("payload.size", letter.payload().length).with("payload.omitted", true)
                    .with("field", o.field())
                    .with("record.size", o.recordBytes()).with("record.limit", o.limitBytes());
        }
        Map<String, String> headers = headers(letter);
        byte[] payload = letter.payload().length > maxPayloadBytes
                ? Arrays.copyOf(letter.payload(), maxPayloadBytes) : letter.payload();
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(payload);
        exchange.getMessage().setHeaders(new LinkedHashMap<>(headers));
        Exchange done = template().send("direct:dead-letter", exchange);
        Signal signal = Signal.of(letter.signal());
        if (done.isFailed()) {
            writeLocally(headers, payload, done.getException());
            meters.deadLettered(signal, letter.source(), "folder");
        } else {
            meters.deadLettered(signal, letter.source(), "kafka");
        }
    }

    private Map<String, String> headers(DeadLetter letter) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(HEADER_PREFIX + "kind", "permanent");
        h.put(HEADER_PREFIX + "exception.class", letter.reason().getClass().getName());
        h.put(HEADER_PREFIX + "exception.message", String.valueOf(letter.reason().getMessage()));
        h.put(HEADER_PREFIX + "signal", letter.signal());
        h.put(HEADER_PREFIX + "source", letter.source().id());
        h.put(HEADER_PREFIX + "route.id", String.valueOf(letter.routeId()));
        h.put(HEADER_PREFIX + "failed.at", Instant.now().toString());
        h.put(HEADER_PREFIX + "attempts", "1");
        h.put(HEADER_PREFIX + "payload.size", String.valueOf(letter.payload().length));
        h.put(HEADER_PREFIX + "payload.truncated", String.valueOf(letter.payload().length > maxPayloadBytes));
        letter.context().forEach((k, v) -> h.put(HEADER_PREFIX + k, v));
        return h;
    }

    private void writeLocally(Map<String, String> headers, byte[] payload, Exception kafkaFailure) {
        String name = Instant.now().toString().replace(':', '-') + "-" + UUID.randomUUID();
        try {
            Files.createDirectories(folder);
            Files.write(folder.resolve(name + ".payload"), payload);
            Map<String, String> metadata = new LinkedHashMap<>(headers);
            metadata.put("dead-letter-topic-error", kafkaFailure == null ? null : kafkaFailure.getMessage());
            Files.write(folder.resolve(name + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata));
            LOG.warn("Dead-letter topic unavailable ({}); dead letter written to {}", kafkaFailure == null ? "?"
                    : kafkaFailure.getMessage(), folder.resolve(name + ".json"));
        } catch (IOException e) {
            LOG.error("Dead letter could be written neither to Kafka nor to {}: {} {}", folder, headers, e);
        }
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }
}
