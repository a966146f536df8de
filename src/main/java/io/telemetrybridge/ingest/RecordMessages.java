package io.telemetrybridge.ingest;

import io.telemetrybridge.model.KeyedRecord;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

/**
 * The body camel-kafka sends as one record per element: a message per record (value as body, {@code kafka.KEY},
 * {@code kafka.OVERRIDE_TOPIC}), made when an element is read and not kept. camel-kafka reads each element once,
 * right before its send, so a request's messages and their header maps no longer live in the heap together
 * beside its records: 285 bytes per record against values of about 850 (a 12 MB OTLP/JSON request of 25,000
 * spans: 7.1 MB of messages beside 26 MB of records, retained heap after a collection). Each read makes a new message (camel-kafka removes the topic header from the one it sends).
 */
final class RecordMessages extends AbstractList<Message> implements RandomAccess {

    private final CamelContext context;
    private final List<KeyedRecord> records;

    RecordMessages(CamelContext context, List<KeyedRecord> records) {
        this.context = context;
        this.records = records;
    }

    @Override
    public Message get(int index) {
        KeyedRecord record = records.get(index);
        DefaultMessage message = new DefaultMessage(context);
        message.setBody(record.value());
        if (record.key() != null) {
            message.setHeader(KafkaConstants.KEY, record.key());
        }
        if (record.topic() != null) {
            message.setHeader(KafkaConstants.OVERRIDE_TOPIC, record.topic());
        }
        return message;
    }

    @Override
    public int size() {
        return records.size();
    }
}
