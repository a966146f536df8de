package io.telemetrybridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.support.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request's last record is sent at once while few requests are in hand, and waits out {@code linger.ms} with
 * more; on a real broker, with a linger (60 s) far longer than any wait here.
 */
@ExtendWith(KafkaBroker.class)
class LastRecordsTest {

    private static final String TOPIC = "last-records-test";

    @Test
    void theLastRecordOfARequestIsSentAtOnceWhileFewAreInHandAndLingersWithMore() throws Exception {
        AtomicInteger inHand = new AtomicInteger();
        LastRecords last = new LastRecords(inHand::get);
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 60_000, ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        FailFastProducer producer = new FailFastProducer(new KafkaProducer<>(config), last, new ProducedRecords(),
                true);
        try {
            new TopicInitializer(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers()),
                    10_000).reconcile(List.of(new TopicSpec(TOPIC, 1, (short) 1, Map.of())), false);
            // Metadata first: its wait is not what is measured.
            producer.partitionsFor(TOPIC);

            // First, before any flush: a flush in progress sends every batch, lingering or not.
            inHand.set(LastRecords.ALONE + 1);
            byte[] many = value("many");
            last.mark(many);
            CompletableFuture<RecordMetadata> lingering = send(producer, many);
            CompletableFuture<RecordMetadata> unmarked = send(producer, value("not last"));
            Thread.sleep(2_000);
            assertThat(lingering).isNotDone();
            assertThat(unmarked).isNotDone();
            producer.flush();
            assertThat(lingering.get(20, TimeUnit.SECONDS).offset()).isEqualTo(0);
            assertThat(unmarked.get(20, TimeUnit.SECONDS).offset()).isEqualTo(1);

            // Two per core in hand, the most that is flushed (a lone request is one of them).
            inHand.set(LastRecords.ALONE);
            byte[] few = value("few");
            last.mark(few);
            assertThat(send(producer, few).get(20, TimeUnit.SECONDS).offset()).isEqualTo(2);
        } finally {
            producer.shutdown(java.time.Duration.ofSeconds(5));
        }
    }

    @Test
    void aRecordIsFlushedForOnlyOnceAndOnlyWhenMarked() {
        LastRecords last = new LastRecords(() -> 1);
        byte[] value = value("x");
        assertThat(last.flushAfter(value)).isFalse();
        last.mark(value);
        assertThat(last.flushAfter(value("x"))).as("by identity, not content").isFalse();
        assertThat(last.flushAfter(value)).isTrue();
        assertThat(last.flushAfter(value)).isFalse();
        last.mark(value);
        last.forget(value);
        assertThat(last.flushAfter(value)).isFalse();
    }

    private static byte[] value(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static CompletableFuture<RecordMetadata> send(FailFastProducer producer, byte[] value) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(TOPIC, value), (metadata, e) -> {
            if (e != null) {
                acked.completeExceptionally(e);
            } else {
                acked.complete(metadata);
            }
        });
        return acked;
    }
}
