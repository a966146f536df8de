package io.telemetrybridge.kafka;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The records this bridge's producers wrote to a watched topic, as Kafka acknowledged them (partition, offset,
 * key), for a reader that would otherwise read them back from that topic: the trace index tails the traces
 * topic, and reading back what the bridge itself just wrote (decompressing and parsing every record) cost it
 * about a microsecond per span. A watcher also learns whether sends to its topic are still unacknowledged, so
 * that it can wait for their acknowledgements rather than read those records.
 *
 * <p>Kafka calls a producer's callbacks of one partition in offset order, on the producer's network thread:
 * a listener must be quick and must not block.
 */
public final class ProducedRecords {

    /** Told of each record Kafka acknowledged on a watched topic. */
    public interface Listener {
        /**
         * What the listener keeps of a record's key, taken when the record is sent (on the sending thread, where
         * the key was just made; on the network thread reading it cost a cache miss or two per record).
         *
         * @param key the record's key as sent: a {@code String}, a {@code byte[]}, or null
         */
        int digest(Object key);

        /** @param digest what {@link #digest} made of the record's key */
        void produced(int partition, long offset, int digest);
    }

    private final Map<String, Watch> watched = new ConcurrentHashMap<>();

    /** Tells {@code listener} of every record acknowledged on {@code topic} from now on (one listener per topic). */
    public void watch(String topic, Listener listener) {
        watched.put(topic, new Watch(listener));
    }

    /** Stops telling anyone of {@code topic}'s records. */
    public void unwatch(String topic) {
        watched.remove(topic);
    }

    /**
     * Whether sends to {@code topic} are unanswered (neither acknowledged nor failed) or one was answered within
     * the last {@code withinNanos}: more records are likely on their way. False for a topic nobody watches.
     */
    public boolean busy(String topic, long withinNanos) {
        Watch w = watched.get(topic);
        return w != null && (w.unanswered.get() > 0 || System.nanoTime() - w.lastAnswered < withinNanos);
    }

    /**
     * The callback to give Kafka for {@code record}: {@code callback} itself when nobody watches its topic.
     * A send that then throws instead of calling back must be reported to {@link #notSent}. Every producer of
     * the bridge calls this ({@link FailFastProducer}).
     */
    public Callback sending(ProducerRecord<Object, Object> record, Callback callback) {
        Watch w = watched.get(record.topic());
        if (w == null) {
            return callback;
        }
        w.unanswered.incrementAndGet();
        return new Answer(w, w.listener.digest(record.key()), callback);
    }

    /** {@code callback}, as {@link #sending} returned it, was for a send that threw. */
    public static void notSent(Callback callback) {
        if (callback instanceof Answer a) {
            a.answered();
        }
    }

    private static final class Watch {
        final Listener listener;
        final AtomicInteger unanswered = new AtomicInteger();
        /** System.nanoTime of the last answer. */
        volatile long lastAnswered = System.nanoTime() - Long.MAX_VALUE / 2;

        Watch(Listener listener) {
            this.listener = listener;
        }
    }

    private static final class Answer implements Callback {
        private final Watch watch;
        private final int key;
        private final Callback callback;
        private boolean done;

        Answer(Watch watch, int key, Callback callback) {
            this.watch = watch;
            this.key = key;
            this.callback = callback;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            try {
                // Before the count drops: a watcher that sees no send unanswered has every acknowledgement.
                if (exception == null && metadata != null && metadata.hasOffset()) {
                    watch.listener.produced(metadata.partition(), metadata.offset(), key);
                }
            } finally {
                answered();
                if (callback != null) {
                    callback.onCompletion(metadata, exception);
                }
            }
        }

        void answered() {
            if (!done) {
                done = true;
                watch.lastAnswered = System.nanoTime();
                watch.unanswered.decrementAndGet();
            }
        }
    }
}
