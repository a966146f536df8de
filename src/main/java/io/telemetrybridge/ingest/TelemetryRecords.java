package io.telemetrybridge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.telemetrybridge.error.OversizedRecordException;
import io.telemetrybridge.model.KeyedRecord;
import io.telemetrybridge.kafka.RecordHeaders;
import io.telemetrybridge.kafka.RecordKeys;
import io.telemetrybridge.kafka.LastRecords;
import io.telemetrybridge.kafka.RecordSizeLimit;
import io.telemetrybridge.model.ExchangeProperties;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.Source;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Turns validated items into what the Kafka endpoint sends: a list of messages, one per item, each with the
 * item's JSON (seed record shape, UTF-8) as body and its {@link RecordKeys key}. camel-kafka sends a list body
 * as one record per element and completes the exchange only when Kafka acknowledged them all.
 */
public final class TelemetryRecords {

    private final CamelContext context;
    private final ObjectWriter writer;
    private final RecordSizeLimit sizeLimit;
    private final LastRecords last;

    /** @param last where the last record of each body is marked, so that a request alone is sent at once */
    public TelemetryRecords(CamelContext context, ObjectWriter writer, RecordSizeLimit sizeLimit, LastRecords last) {
        this.context = context;
        this.writer = writer;
        this.sizeLimit = sizeLimit;
        this.last = last;
    }

    /**
     * One seed item as a record: its JSON, keyed by {@link RecordKeys}.
     *
     * @throws OversizedRecordException if the record would exceed the size limit of {@code signal}'s topic
     *         ({@link RecordSizeLimit})
     */
    public KeyedRecord encode(Signal signal, Object item, String path) {
        KeyedRecord record = new KeyedRecord(RecordKeys.of(item), json(item));
        sizeLimit.check(signal, record, path);
        return record;
    }

    /**
     * Replaces the exchange's body with one message per seed item (all checked before any is sent) (its JSON, keyed by {@link RecordKeys}) and
     * its headers with our record headers only ({@link RecordHeaders}); records signal, source and count as
     * exchange properties.
     */
    public void toBody(Exchange exchange, Signal signal, Source source, List<?> items) {
        List<KeyedRecord> records = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            records.add(encode(signal, items.get(i), signal.id() + "[" + i + "]"));
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
        List<Message> messages = new ArrayList<>(records.size());
        for (KeyedRecord record : records) {
            DefaultMessage message = new DefaultMessage(context);
            message.setBody(record.value());
            if (record.key() != null) {
                message.setHeader(KafkaConstants.KEY, record.key());
            }
            messages.add(message);
        }
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
        out.setHeader(RecordHeaders.SIGNAL, signal.id());
        out.setHeader(RecordHeaders.SOURCE, source.id());
        out.setHeader(RecordHeaders.CONTENT_TYPE, contentType);
        out.setHeader(RecordHeaders.SCHEMA_VERSION, schemaVersion);
        out.setBody(messages);
        exchange.setProperty(ExchangeProperties.SIGNAL, signal);
        exchange.setProperty(ExchangeProperties.SOURCE, source);
        exchange.setProperty(ExchangeProperties.COUNT, messages.size());
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
