package io.telemetrybridge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.telemetrybridge.codec.OversizedRecordException;
import io.telemetrybridge.kafka.KeyedRecord;
import io.telemetrybridge.kafka.RecordHeaders;
import io.telemetrybridge.kafka.RecordKeys;
import io.telemetrybridge.model.Signal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Turns validated items into what the Kafka endpoint sends: a list of messages, one per item, each with the
 * item's JSON (seed record shape, UTF-8) as body and its {@link RecordKeys key}. camel-kafka sends a list body
 * as one record per element and completes the exchange only when Kafka acknowledged them all.
 */
public final class TelemetryRecords {

    /** Exchange property: the signal of the records in the body. */
    public static final String SIGNAL = "telemetrySignal";
    /** Exchange property: where the records came from ({@code http}, {@code file}, {@code timer}). */
    public static final String SOURCE = "telemetrySource";
    /** Exchange property: how many records the body holds. */
    public static final String COUNT = "telemetryRecordCount";

    /** Our four headers, as Kafka sizes them; their values are short constants. */
    private static final Header[] HEADERS_FOR_SIZE = {
        new RecordHeader(RecordHeaders.SIGNAL, new byte[8]),
        new RecordHeader(RecordHeaders.SOURCE, new byte[8]),
        new RecordHeader(RecordHeaders.CONTENT_TYPE, new byte[32]),
        new RecordHeader(RecordHeaders.SCHEMA_VERSION, new byte[8])};

    private final CamelContext context;
    private final ObjectWriter writer;
    private final ToIntFunction<Signal> maxRecordBytes;

    /**
     * @param maxRecordBytes the largest record of a signal's topic, in bytes: the smaller of the producer's
     *                       {@code max.request.size} and the topic's {@code max.message.bytes}; read when needed,
     *                       since camel-kafka and the topics are set up after this bean is made
     */
    public TelemetryRecords(CamelContext context, ObjectWriter writer, ToIntFunction<Signal> maxRecordBytes) {
        this.context = context;
        this.writer = writer;
        this.maxRecordBytes = maxRecordBytes;
    }

    /**
     * One seed item as a record: its JSON, keyed by {@link RecordKeys}.
     *
     * @throws OversizedRecordException if the record would exceed the size limit of {@code signal}'s topic
     */
    public KeyedRecord encode(Signal signal, Object item, String path) {
        KeyedRecord record = new KeyedRecord(RecordKeys.of(item), json(item));
        checkSize(signal, record, path);
        return record;
    }

    /** The largest record {@code signal}'s topic takes now, in bytes. */
    public int maxRecordBytes(Signal signal) {
        return maxRecordBytes.applyAsInt(signal);
    }

    /**
     * Refuses a record Kafka would refuse (the producer, or the broker for the topic), with the producer's size
     * estimate.
     *
     * @throws OversizedRecordException naming {@code path}
     */
    public void checkSize(Signal signal, KeyedRecord record, String path) {
        if (!fits(signal, record)) {
            throw oversized(signal, record, path);
        }
    }

    /** Whether Kafka would take {@code record} on {@code signal}'s topic (the producer's size estimate). */
    public boolean fits(Signal signal, KeyedRecord record) {
        return size(record) <= maxRecordBytes.applyAsInt(signal);
    }

    /** The error for a record that does not {@link #fits fit}: its size and the limit, naming {@code path}. */
    public OversizedRecordException oversized(Signal signal, KeyedRecord record, String path) {
        return new OversizedRecordException(path, size(record), maxRecordBytes.applyAsInt(signal));
    }

    private static int size(KeyedRecord record) {
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.NONE, key, record.value(), HEADERS_FOR_SIZE);
    }

    /**
     * Replaces the exchange's body with one message per seed item (all checked before any is sent) (its JSON, keyed by {@link RecordKeys}) and
     * its headers with our record headers only ({@link RecordHeaders}); records signal, source and count as
     * exchange properties.
     */
    public void toBody(Exchange exchange, Signal signal, String source, List<?> items) {
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
    public void toBody(Exchange exchange, Signal signal, String source, String contentType, String schemaVersion,
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
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(RecordHeaders.SIGNAL, signal.id());
        out.setHeader(RecordHeaders.SOURCE, source);
        out.setHeader(RecordHeaders.CONTENT_TYPE, contentType);
        out.setHeader(RecordHeaders.SCHEMA_VERSION, schemaVersion);
        out.setBody(messages);
        exchange.setProperty(SIGNAL, signal);
        exchange.setProperty(SOURCE, source);
        exchange.setProperty(COUNT, messages.size());
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
