package io.telemetrybridge.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.kafka.ProducedRecords;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The trace index against a real broker, fed by the acknowledgements of "the bridge's" producer while another
 * producer writes to the same partitions: every record's offset is found under its key, each offset is indexed
 * once, and the bridge's own records are (mostly) taken from acknowledgements rather than read back.
 */
@ExtendWith(KafkaBroker.class)
class TraceIndexFollowTest {

    private static final int PARTITIONS = 2;

    @Test
    void ownRecordsComeFromAcknowledgementsAndOthersAreReadAndEveryOffsetIsFound() throws Exception {
        String topic = "trace-index-follow";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBroker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        ProducedRecords produced = new ProducedRecords();
        TraceIndex index = new TraceIndex(TraceIndexFollowTest::consumer, topic, 1 << 20, produced);
        index.start();
        try (KafkaProducer<Object, Object> own = producer(); KafkaProducer<Object, Object> other = producer()) {
            waitUntilCovered(index, topic, 0);
            int sent = 0;
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 500; i++) {
                    ProducerRecord<Object, Object> r = new ProducerRecord<>(topic, "trace-" + (i % 7), "v");
                    own.send(r, produced.sending(r, null));
                }
                // Another producer's records land between ours, in both partitions.
                for (int i = 0; i < 50; i++) {
                    other.send(new ProducerRecord<>(topic, i % 3 == 0 ? null : "trace-" + (i % 5), "w"));
                }
                own.flush();
                other.flush();
                sent += 550;
            }
            waitUntilCovered(index, topic, sent);

            Map<String, List<Long>> truth = new TreeMap<>();
            for (Topics.Rec r : Topics.readAll(topic)) {
                if (r.key() != null) {
                    truth.computeIfAbsent(r.partition() + "/" + r.key(), k -> new ArrayList<>()).add(r.offset());
                }
            }
            assertThat(truth).hasSize(7);
            truth.forEach((at, offsets) -> {
                int partition = Integer.parseInt(at.substring(0, at.indexOf('/')));
                byte[] key = at.substring(at.indexOf('/') + 1).getBytes(StandardCharsets.UTF_8);
                List<Long> found = new ArrayList<>();
                for (long o : index.lookup(partition, key).candidates()) {
                    found.add(o);
                }
                assertThat(found).as(at).isEqualTo(offsets);
            });
            long read = 0;
            long fromProducers = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                read += index.partition(p).read();
                fromProducers += index.partition(p).fromProducers();
            }
            // Each offset once, from one side or the other.
            assertThat(read + fromProducers).isEqualTo(sent);
            assertThat(read).as("the other producer's records are read").isGreaterThanOrEqualTo(200);
            assertThat(fromProducers).as("own records taken from acknowledgements").isPositive();
            System.out.printf("trace index: %d records from acknowledgements, %d read%n", fromProducers, read);
        } finally {
            index.close();
        }
    }

    private static void waitUntilCovered(TraceIndex index, String topic, long records) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            long covered = 0;
            boolean all = true;
            for (int p = 0; p < PARTITIONS; p++) {
                TraceIndex.Lookup l = index.lookup(p, new byte[0]);
                all &= l != TraceIndex.Lookup.NONE;
                covered += l.coveredTo();
            }
            if (all && covered >= records) {
                return;
            }
            assertThat(System.nanoTime()).as("index of " + topic + " covers " + records + " records").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<Object, Object> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }
}
