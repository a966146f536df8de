package io.telemetrybridge.deadletter;

import io.telemetrybridge.model.Source;
import io.telemetrybridge.model.Signal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records of a telemetry topic that cannot be decoded (issue "nothing lost": poison records). Reads skip them and
 * go on; the first time this bridge meets one, a copy goes to the dead-letter topic with its original topic,
 * partition and offset ({@code telemetry.dlq.kafka.topic}, {@code .partition}, {@code .offset}). Reads join no
 * consumer group, so there is no offset to commit past it and nothing re-reads it in a loop; the copy is sent
 * once per bridge process (remembered for the last {@value #REMEMBERED} poison records), so another instance or
 * a restart may send another copy of the same coordinates.
 */
public final class PoisonRecords {

    private static final Logger LOG = LoggerFactory.getLogger(PoisonRecords.class);
    static final int REMEMBERED = 10_000;

    private final DeadLetters deadLetters;
    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    public PoisonRecords(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    /** Dead-letters {@code record} unless this process already did. Never throws. */
    public void skipped(Signal signal, ConsumerRecord<byte[], byte[]> record, String routeId, Exception reason) {
        String coordinates = record.topic() + "-" + record.partition() + "@" + record.offset();
        synchronized (seen) {
            if (!seen.add(coordinates)) {
                return;
            }
        }
        LOG.warn("Skipped poison record {} of {}: {}", coordinates, signal.id(), reason.getMessage());
        deadLetters.publish(DeadLetter.of(signal.id(), Source.KAFKA, routeId, reason, record.value())
                .with("kafka.topic", record.topic())
                .with("kafka.partition", record.partition())
                .with("kafka.offset", record.offset())
                .with("kafka.timestamp", record.timestamp()));
    }
}
