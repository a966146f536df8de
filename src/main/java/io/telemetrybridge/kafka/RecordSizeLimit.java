package io.telemetrybridge.kafka;

import io.telemetrybridge.model.KeyedRecord;
import io.telemetrybridge.error.OversizedRecordException;
import io.telemetrybridge.model.Signal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The largest record, in bytes, that Kafka takes on a signal's topic: the smaller of the producer's
 * {@code max.request.size} (and {@code buffer.memory}) and the topic's {@code max.message.bytes} as the cluster
 * reported it. The topic's limit is known once the topics were checked ({@link KafkaSetup}); until then only the
 * producer's counts.
 */
public final class RecordSizeLimit {

    /** Our four headers, as Kafka sizes them; their values are short constants. */
    private static final Header[] HEADERS_FOR_SIZE = {
        new RecordHeader(RecordHeaders.SIGNAL, new byte[8]),
        new RecordHeader(RecordHeaders.SOURCE, new byte[8]),
        new RecordHeader(RecordHeaders.CONTENT_TYPE, new byte[32]),
        new RecordHeader(RecordHeaders.SCHEMA_VERSION, new byte[8])};

    private final KafkaConfiguration producer;
    private final TopicSettings topics;
    private volatile Map<String, Integer> topicMaxMessageBytes = Map.of();

    RecordSizeLimit(KafkaConfiguration producer, TopicSettings topics) {
        this.producer = producer;
        this.topics = topics;
    }

    /** Whether Kafka would take {@code record} on {@code signal}'s topic (the producer's size estimate). */
    public boolean fits(Signal signal, KeyedRecord record) {
        return size(record) <= maxBytes(signal);
    }

    /** {@link #fits} for one signal, as the OTLP encodings take it. */
    public Predicate<KeyedRecord> fitting(Signal signal) {
        return record -> fits(signal, record);
    }

    /** The error for a record that does not {@link #fits fit}: its size and the limit, naming {@code path}. */
    public OversizedRecordException oversized(Signal signal, KeyedRecord record, String path) {
        return new OversizedRecordException(path, size(record), maxBytes(signal));
    }

    /**
     * Refuses a record Kafka would refuse (the producer, or the broker for the topic).
     *
     * @throws OversizedRecordException naming {@code path}
     */
    public void check(Signal signal, KeyedRecord record, String path) {
        if (!fits(signal, record)) {
            throw oversized(signal, record, path);
        }
    }

    /** The producer's upper estimate of {@code record}'s size in a batch, with our four headers, bytes. */
    private static int size(KeyedRecord record) {
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.NONE, key, record.value(), HEADERS_FOR_SIZE);
    }

    /** The largest record {@code signal}'s topic takes now, in bytes. */
    public int maxBytes(Signal signal) {
        int limit = Math.min(orDefault(producer.getMaxRequestSize(), 1_048_576),
                orDefault(producer.getBufferMemorySize(), 33_554_432));
        Integer topic = topicMaxMessageBytes.get(topics.topic(signal));
        return topic == null ? limit : Math.min(limit, topic);
    }

    void topicLimits(Map<String, Integer> maxMessageBytes) {
        topicMaxMessageBytes = Map.copyOf(maxMessageBytes);
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
