package io.telemetrybridge.ingest;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.telemetrybridge.codec.MediaTypes;
import io.telemetrybridge.deadletter.DeadLetter;
import io.telemetrybridge.deadletter.DeadLetters;
import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.error.OversizedRecordException;
import io.telemetrybridge.http.HttpAnswer;
import io.telemetrybridge.http.InFlightBound;
import io.telemetrybridge.kafka.RecordHeaders;
import io.telemetrybridge.kafka.RecordSizeLimit;
import io.telemetrybridge.model.ExchangeProperties;
import io.telemetrybridge.model.KeyedRecord;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.Source;
import io.telemetrybridge.observe.BridgeMeters;
import io.telemetrybridge.otlp.OtlpEncoding;
import io.telemetrybridge.otlp.OtlpJsonWriter;
import io.telemetrybridge.otlp.OtlpRequests;
import io.telemetrybridge.otlp.OtlpValidation;
import io.telemetrybridge.rules.RuleSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Route steps of the OTLP/HTTP receiver ({@code POST /v1/traces|metrics|logs}): decode the export request,
 * leave out invalid items and items too large for Kafka even alone (both reported as {@code partial_success}; an
 * oversized item also becomes a dead letter holding its size, not its bytes, once the rest is on Kafka), turn the
 * rest into records with the signal's
 * configured {@link OtlpEncoding}, and after Kafka acknowledged them all answer 200 with the
 * Export*ServiceResponse in the request's encoding. Source: OTLP specification, "OTLP/HTTP".
 */
public final class OtlpIngest {

    private static final String REJECTED = "otlpRejected";
    private static final String REJECTED_MESSAGE = "otlpRejectedMessage";
    private static final String OVERSIZED = "otlpOversized";
    /** Dead letters written for the oversized items of one request; one more counts the others. */
    private static final int MAX_OVERSIZED_LETTERS = 10;

    private final OtlpRequests requests;
    private final Map<Signal, OtlpEncoding> encodings;
    private final TelemetryRecords records;
    private final RecordSizeLimit sizeLimit;
    private final BridgeMeters meters;
    private final DeadLetters deadLetters;
    private final InFlightBound inFlight;
    private final int retryAfterSeconds;

    /**
     * @param inFlight          the front doors' bound, which a compressed body must find room in as it inflates
     * @param retryAfterSeconds the delay a request is told to retry after when it does not
     */
    public OtlpIngest(OtlpRequests requests, Map<Signal, OtlpEncoding> encodings, TelemetryRecords records,
            RecordSizeLimit sizeLimit, BridgeMeters meters, DeadLetters deadLetters, InFlightBound inFlight,
            int retryAfterSeconds) {
        this.inFlight = inFlight;
        this.retryAfterSeconds = retryAfterSeconds;
        this.requests = requests;
        this.encodings = encodings;
        this.records = records;
        this.sizeLimit = sizeLimit;
        this.meters = meters;
        this.deadLetters = deadLetters;
    }

    /**
     * Decodes the request and makes its records the body; nothing is sent if this throws. The same step serves
     * every OTLP front door: a door other than OTLP/HTTP records its signal and source (exchange properties
     * {@link ExchangeProperties#SIGNAL}, {@link ExchangeProperties#SOURCE}) before the route runs.
     *
     * @throws IllegalStateException when the door's signal is not {@code signal} (a route reading one signal's
     *                               service as another's)
     */
    public void read(Exchange exchange, String signal) throws IOException {
        Signal s = Signal.of(signal);
        Signal door = exchange.getProperty(ExchangeProperties.SIGNAL, Signal.class);
        if (door != null && door != s) {
            throw new IllegalStateException("route " + exchange.getFromRouteId() + " reads " + s.id()
                    + " from an endpoint of " + door.id());
        }
        Source source = source(exchange);
        String contentType = MediaTypes.header(exchange.getMessage(), Exchange.CONTENT_TYPE);
        exchange.setProperty(ExchangeProperties.SIGNAL, s);
        exchange.setProperty(ExchangeProperties.SOURCE, source);
        exchange.setProperty(ExchangeProperties.OTLP_JSON, !isProtobuf(contentType));
        byte[] body = exchange.getMessage().getBody(byte[].class);
        // Kept as bytes: a dead letter of this request reads the body again.
        exchange.getMessage().setBody(body);
        meters.requestBytes(s, source, body == null ? 0 : body.length);
        Message request;
        try {
            // An empty body is a valid, empty protobuf request.
            InFlightBound.Room room = inFlight.room(exchange, retryAfterSeconds);
            request = requests.decode(s, contentType, MediaTypes.header(exchange.getMessage(), "Content-Encoding"),
                    body == null ? new byte[0] : body, room.ask(), room.granted());
        } catch (InvalidInputException e) {
            meters.rejected(s, source, 1);
            throw e;
        }
        OtlpValidation.Result valid = OtlpValidation.check(s, request);
        OtlpEncoding encoding = encodings.get(s);
        RuleSet rules = RuleSet.find(exchange, TelemetryRecords.tenant(exchange));
        long rejected = valid.rejected();
        String message = valid.message();
        List<DeadLetter> oversized = new ArrayList<>();
        List<KeyedRecord> publish = new ArrayList<>();
        List<OtlpEncoding.TooLarge> tooLargeAll = new ArrayList<>();
        // Parts routing may not send, by reason: one dead letter and one sentence per reason, however many topics.
        Map<String, Refused> refused = new LinkedHashMap<>();
        for (RuleSet.Routed part : rules.route(s, rules.apply(s, valid.request()))) {
            String refusal = records.refusal(s, part.topic(), rules);
            if (refusal != null) {
                refused.computeIfAbsent(refusal, r -> new Refused(part.request().newBuilderForType())).add(part);
                continue;
            }
            OtlpEncoding.Fitted f = encoding.encode(s, part.request(), sizeLimit.fitting(s));
            for (KeyedRecord r : f.records()) {
                publish.add(part.topic() == null && part.key() == null ? r : addressed(r, part));
            }
            tooLargeAll.addAll(f.tooLarge());
        }
        OtlpEncoding.Fitted fitted = new OtlpEncoding.Fitted(publish, tooLargeAll);
        for (Map.Entry<String, Refused> r : refused.entrySet()) {
            // Not for this bridge to send: the items go to the dead-letter queue, reported as partial success.
            Message part = r.getValue().request.build();
            long items = OtlpValidation.items(s, part);
            rejected += items;
            message = (message == null ? "" : message + "; ") + items + " item(s) refused: " + r.getKey();
            oversized.add(DeadLetter.ofRequest(exchange, source, new InvalidInputException("", r.getKey()))
                    .withPayload(part.toByteArray()).with("record.topics", String.join(",", r.getValue().topics))
                    .with("record.items", items));
        }
        long tooLargeItems = 0;
        long unlistedItems = 0;
        for (OtlpEncoding.TooLarge tooLarge : fitted.tooLarge()) {
            // Cannot be cut further: left out, as partial success, and dead-lettered once Kafka took the rest.
            tooLargeItems += tooLarge.items();
            if (oversized.size() < MAX_OVERSIZED_LETTERS) {
                OversizedRecordException e = sizeLimit.oversized(s, tooLarge.record(), "item (" + encoding.name() + ")");
                oversized.add(DeadLetter.ofRequest(exchange, source, e)
                        .with("record.size", tooLarge.record().value().length)
                        .with("record.key", tooLarge.record().key())
                        .with("record.items", tooLarge.items()));
            } else {
                unlistedItems += tooLarge.items();
            }
        }
        if (unlistedItems > 0) {
            // Letters of oversized items hold metadata only: past a few, one letter counts the rest.
            OtlpEncoding.TooLarge more = fitted.tooLarge().get(MAX_OVERSIZED_LETTERS);
            oversized.add(DeadLetter.ofRequest(exchange, source, sizeLimit.oversized(s, more.record(),
                    "item (" + encoding.name() + ")"))
                    .with("record.items", unlistedItems)
                    .with("records.unlisted", fitted.tooLarge().size() - MAX_OVERSIZED_LETTERS));
        }
        OversizedRecordException first = fitted.tooLarge().isEmpty() ? null
                : sizeLimit.oversized(s, fitted.tooLarge().get(0).record(), "");
        if (publish.isEmpty() && first != null) {
            // Nothing of it fits: the request as a whole is refused (413), and dead-lettered as such.
            throw first;
        }
        if (first != null) {
            rejected += tooLargeItems;
            // One sentence however many: the count, the first reason.
            message = (message == null ? "" : message + "; ") + tooLargeItems + " item(s) too large for Kafka in "
                    + fitted.tooLarge().size() + " record(s), e.g.: " + first.getMessage();
        }
        exchange.setProperty(OVERSIZED, oversized);
        records.toBody(exchange, s, source, encoding.contentType(), schemaVersion(encoding), publish);
        exchange.setProperty(REJECTED, rejected);
        exchange.setProperty(REJECTED_MESSAGE, message);
    }

    /** Answers 200 with the Export*ServiceResponse, in the request's encoding. */
    public void respond(Exchange exchange) throws IOException {
        meters.published(exchange);
        // Only now: a request answered 503 and sent again must not dead-letter its items twice.
        List<?> oversized = exchange.getProperty(OVERSIZED, List.of(), List.class);
        oversized.forEach(letter -> deadLetters.publish((DeadLetter) letter));
        TelemetryRecords.refused(exchange).forEach(deadLetters::publish);
        Signal signal = exchange.getProperty(ExchangeProperties.SIGNAL, Signal.class);
        long rejected = exchange.getProperty(REJECTED, 0L, Long.class);
        if (rejected > 0) {
            // Counted with the answer: a request answered 503 and sent again counts them once.
            meters.rejected(signal, source(exchange), rejected);
        }
        String message = exchange.getProperty(REJECTED_MESSAGE, "", String.class);
        Message response = response(signal, rejected, message == null ? "" : message);
        boolean json = exchange.getProperty(ExchangeProperties.OTLP_JSON, true, Boolean.class);
        HttpAnswer.write(exchange, 200, json ? "application/json" : OtlpRequests.PROTOBUF, json ? OtlpJsonWriter.write(response) : response.toByteArray());
    }

    private static Message response(Signal signal, long rejected, String message) {
        return switch (signal) {
            case TRACES -> rejected == 0 ? ExportTraceServiceResponse.getDefaultInstance()
                    : ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                            .setRejectedSpans(rejected).setErrorMessage(message)).build();
            case METRICS -> rejected == 0 ? ExportMetricsServiceResponse.getDefaultInstance()
                    : ExportMetricsServiceResponse.newBuilder().setPartialSuccess(ExportMetricsPartialSuccess
                            .newBuilder().setRejectedDataPoints(rejected).setErrorMessage(message)).build();
            case LOGS -> rejected == 0 ? ExportLogsServiceResponse.getDefaultInstance()
                    : ExportLogsServiceResponse.newBuilder().setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                            .setRejectedLogRecords(rejected).setErrorMessage(message)).build();
        };
    }

    /** Refused parts of one reason, merged into one request (repeated fields concatenate), and some of their topics. */
    private static final class Refused {
        private static final int TOPICS_NAMED = 10;
        final Message.Builder request;
        final java.util.Set<String> topics = new java.util.LinkedHashSet<>();

        Refused(Message.Builder request) {
            this.request = request;
        }

        void add(RuleSet.Routed part) {
            request.mergeFrom(part.request());
            if (topics.size() < TOPICS_NAMED) {
                topics.add(part.topic());
            }
        }
    }

    /** {@code r} with the part's topic and, when the routing sets keys, its key (empty: no key). */
    private static KeyedRecord addressed(KeyedRecord r, RuleSet.Routed part) {
        String key = part.key() == null ? r.key() : part.key().isEmpty() ? null : part.key();
        return new KeyedRecord(key, r.value(), part.topic());
    }

    /** Where the request came in: the door's {@link ExchangeProperties#SOURCE}, else OTLP/HTTP. */
    public static Source source(Exchange exchange) {
        return exchange.getProperty(ExchangeProperties.SOURCE, Source.OTLP_HTTP, Source.class);
    }

    /** {@code 1} for seed-shaped JSON records (as the seed API writes), else the encoding's name. */
    private static String schemaVersion(OtlpEncoding encoding) {
        return encoding.name().equals("json") ? RecordHeaders.SEED_SCHEMA_VERSION
                : encoding.name();
    }

    private static boolean isProtobuf(String contentType) {
        return MediaTypes.matches(contentType, OtlpRequests.PROTOBUF);
    }
}
