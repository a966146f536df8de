package io.telemetrybridge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.telemetrybridge.deadletter.DeadLetter;
import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.error.OversizedRecordException;
import io.telemetrybridge.error.RateLimitedException;
import io.telemetrybridge.observe.BridgeMeters;
import io.telemetrybridge.http.Tenants;
import io.telemetrybridge.kafka.RoutedTopics;
import io.telemetrybridge.rules.RecordRouting;
import io.telemetrybridge.rules.RuleSet;
import io.telemetrybridge.model.KeyedRecord;
import io.telemetrybridge.kafka.RecordHeaders;
import io.telemetrybridge.kafka.RecordKeys;
import io.telemetrybridge.kafka.LastRecords;
import io.telemetrybridge.kafka.RecordSizeLimit;
import io.telemetrybridge.model.ExchangeProperties;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Turns validated items into what the Kafka endpoint sends: a list of messages, one per item, each with the
 * item's JSON (seed record shape, UTF-8) as body and its {@link RecordKeys key}. camel-kafka sends a list body
 * as one record per element and completes the exchange only when Kafka acknowledged them all.
 */
public final class TelemetryRecords {

    private static final String REFUSED = "telemetryRefusedRecords";

    private final CamelContext context;
    private final ObjectWriter writer;
    private final RecordSizeLimit sizeLimit;
    private final LastRecords last;
    private final RoutedTopics routedTopics;
    private final TenantRates rates;
    private final BridgeMeters meters;

    /**
     * @param last         where the last record of each body is marked, so that a request alone is sent at once
     * @param routedTopics the topics routing rules choose, checked or created before records go to them
     * @param rates        the tenants' records-per-second bounds
     */
    public TelemetryRecords(CamelContext context, ObjectWriter writer, RecordSizeLimit sizeLimit, LastRecords last,
            RoutedTopics routedTopics, TenantRates rates, BridgeMeters meters) {
        this.rates = rates;
        this.meters = meters;
        this.context = context;
        this.writer = writer;
        this.sizeLimit = sizeLimit;
        this.last = last;
        this.routedTopics = routedTopics;
    }

    /**
     * One seed item as a record: the route's rules applied ({@link RuleSet}), its JSON, keyed by
     * {@link RecordKeys} unless a routing rule sets topic or key.
     *
     * @return the record, or null when a drop rule leaves the item out
     * @throws OversizedRecordException if the record would exceed the size limit of {@code signal}'s topic
     *         ({@link RecordSizeLimit})
     */
    public KeyedRecord encode(Signal signal, Object item, String path, RuleSet rules) {
        Object kept = rules.apply(signal, item);
        if (kept == null) {
            return null;
        }
        KeyedRecord record = rules.route(signal, kept, new KeyedRecord(RecordKeys.of(kept), json(kept)));
        sizeLimit.check(signal, record, path);
        return record;
    }

    /**
     * Why {@code rules}' routing may not send records of {@code signal} to {@code topic} (see
     * {@link RoutedTopics#refusal}), or null when it may.
     */
    public String refusal(Signal signal, String topic, RuleSet rules) {
        RecordRouting r = rules.routing();
        return topic == null || r == null ? null
                : routedTopics.refusal(signal, topic, r.template(), r.maxTopics(), r.createMissing());
    }

    private static byte[] jsonLines(List<KeyedRecord> records) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (KeyedRecord r : records) {
            out.writeBytes(r.value());
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Dead letters of records refused by routing ({@link #toBody}), to be written once the request is answered. */
    @SuppressWarnings("unchecked")
    public static List<DeadLetter> refused(Exchange exchange) {
        return exchange.getProperty(REFUSED, List.of(), List.class);
    }

    /**
     * Replaces the exchange's body with one message per seed item (all checked before any is sent) (its JSON, keyed by {@link RecordKeys}) and
     * its headers with our record headers only ({@link RecordHeaders}); records signal, source and count as
     * exchange properties.
     */
    public void toBody(Exchange exchange, Signal signal, Source source, List<?> items) {
        List<KeyedRecord> records = new ArrayList<>(items.size());
        RuleSet rules = RuleSet.find(exchange, tenant(exchange));
        for (int i = 0; i < items.size(); i++) {
            KeyedRecord r = encode(signal, items.get(i), signal.id() + "[" + i + "]", rules);
            if (r != null) {
                records.add(r);
            }
        }
        toBody(exchange, signal, source, "application/json", RecordHeaders.SEED_SCHEMA_VERSION, records);
    }

    /**
     * Replaces the exchange's body with one message per record and its headers with our record headers only.
     *
     * @param contentType   media type of the values ({@code application/json}, {@code application/x-protobuf})
     * @param schemaVersion shape of the values (see {@link RecordHeaders#SCHEMA_VERSION})
     */
    public void toBody(Exchange exchange, Signal signal, Source source, String contentType, String schemaVersion,
            List<KeyedRecord> records) {
        RuleSet rules = RuleSet.find(exchange, tenant(exchange));
        List<KeyedRecord> sent = new ArrayList<>(records.size());
        // Records routing may not send, by reason: one dead letter each (their values as JSON lines).
        Map<String, List<KeyedRecord>> refusedBy = new LinkedHashMap<>();
        for (KeyedRecord record : records) {
            String refusal = refusal(signal, record.topic(), rules);
            if (refusal != null) {
                refusedBy.computeIfAbsent(refusal, r -> new ArrayList<>()).add(record);
                continue;
            }
            sent.add(record);
        }
        records = sent;
        List<Message> messages = new RecordMessages(context, records);
        List<DeadLetter> refused = new ArrayList<>();
        refusedBy.forEach((reason, list) -> refused.add(DeadLetter.of(signal.id(), source, exchange.getFromRouteId(),
                new InvalidInputException("", reason), jsonLines(list))
                .with("record.topics", String.join(",", list.stream().map(KeyedRecord::topic).distinct().limit(10)
                        .toList()))
                .with("record.count", list.size())));
        if (rules.tenant() != null) {
            try {
                rates.take(rules.tenant(), messages.size());
            } catch (RateLimitedException e) {
                meters.tenantThrottled(rules.tenant(), signal, messages.size());
                throw e;
            }
        }
        exchange.setProperty(REFUSED, refused);
        if (!records.isEmpty()) {
            byte[] lastValue = records.get(records.size() - 1).value();
            last.mark(lastValue);
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    last.forget(lastValue);
                }
            });
        }
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        // The copied request headers first: none may stand for the bridge's own (RecordRouting refuses those).
        rules.headers().forEach(out::setHeader);
        out.setHeader(RecordHeaders.SIGNAL, signal.id());
        out.setHeader(RecordHeaders.SOURCE, source.id());
        out.setHeader(RecordHeaders.CONTENT_TYPE, contentType);
        out.setHeader(RecordHeaders.SCHEMA_VERSION, schemaVersion);
        if (rules.tenant() != null) {
            out.setHeader(RecordHeaders.TENANT, rules.tenant());
        }
        out.setBody(messages);
        exchange.setProperty(ExchangeProperties.SIGNAL, signal);
        exchange.setProperty(ExchangeProperties.SOURCE, source);
        exchange.setProperty(ExchangeProperties.COUNT, messages.size());
    }

    /**
     * The tenant of the exchange's request, as the token check found it (exchange property
     * {@link ExchangeProperties#TENANT}); null without one.
     */
    public static String tenant(Exchange exchange) {
        return Tenants.of(exchange);
    }

    private byte[] json(Object item) {
        try {
            return writer.writeValueAsBytes(item);
        } catch (JsonProcessingException e) {
            // Our own records always serialise; failing here is a bug, not bad input.
            throw new IllegalStateException("could not serialise " + item.getClass().getSimpleName(), e);
        }
    }
}
