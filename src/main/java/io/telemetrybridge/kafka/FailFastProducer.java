package io.telemetrybridge.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A shared Kafka producer that keeps a request's wait bounded while the cluster is unreachable. Kafka's
 * {@code send} blocks up to {@code max.block.ms} for a topic's metadata, and it does so again for every record:
 * a batch of 100 items would wait 100 times. Here, once the metadata wait for a topic timed out, further sends
 * to that topic fail at once, through the callback as Kafka itself reports the timeout, for
 * {@link #FAIL_FAST_WINDOW}; the next send after it probes the cluster again. With metadata known, sends never
 * block here and a broker that went away surfaces after {@code delivery.timeout.ms}. Closing a shared one is a no-op: the
 * producer belongs to {@link SharedProducers}.
 */
final class FailFastProducer implements Producer<Object, Object> {

    /** How long a failed metadata wait answers for its topic. */
    static final Duration FAIL_FAST_WINDOW = Duration.ofSeconds(1);

    /** A topic whose metadata was there this recently is not asked for again (it costs a lock per record). */
    private static final long RECHECK_NANOS = 100_000_000L;

    private final Producer<Object, Object> delegate;
    private final Map<String, Failure> unavailable = new ConcurrentHashMap<>();
    private final Map<String, Long> available = new ConcurrentHashMap<>();
    private final LastRecords last;
    private final ProducedRecords produced;
    private final boolean owned;
    private final Flusher flusher;

    FailFastProducer(Producer<Object, Object> delegate, LastRecords last, ProducedRecords produced) {
        this(delegate, last, produced, false);
    }

    /**
     * @param produced where acknowledged records of watched topics are told
     * @param owned    whether closing this closes {@code delegate} (not for a shared producer)
     */
    FailFastProducer(Producer<Object, Object> delegate, LastRecords last, ProducedRecords produced, boolean owned) {
        this.delegate = delegate;
        this.last = last;
        this.produced = produced;
        this.owned = owned;
        this.flusher = new Flusher(delegate);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<Object, Object> record, Callback callback) {
        Failure failure = unavailable.get(record.topic());
        if (failure != null && System.nanoTime() < failure.until) {
            return failed(failure.cause, callback);
        }
        long now = System.nanoTime();
        Long checked = available.get(record.topic());
        try {
            if (checked == null || now - checked > RECHECK_NANOS) {
                // Returns at once when the metadata is known; otherwise waits up to max.block.ms, once.
                delegate.partitionsFor(record.topic());
                unavailable.remove(record.topic());
                available.put(record.topic(), now);
            }
        } catch (TimeoutException e) {
            available.remove(record.topic());
            unavailable.put(record.topic(), new Failure(e, System.nanoTime() + FAIL_FAST_WINDOW.toNanos()));
            return failed(e, callback);
        }
        Callback answer = produced.sending(record, callback);
        Future<RecordMetadata> sent;
        try {
            sent = delegate.send(record, answer);
        } catch (RuntimeException e) {
            ProducedRecords.notSent(answer);
            throw e;
        }
        if (last.flushAfter(record.value())) {
            // The request's records are all appended: send them now rather than after linger.ms.
            flusher.request();
        }
        return sent;
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<Object, Object> record) {
        return send(record, null);
    }

    private static Future<RecordMetadata> failed(TimeoutException cause, Callback callback) {
        TimeoutException e = new TimeoutException(cause.getMessage());
        if (callback != null) {
            callback.onCompletion(null, e);
        }
        return CompletableFuture.failedFuture(e);
    }

    private record Failure(TimeoutException cause, long until) {}

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return delegate.partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return delegate.metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return delegate.clientInstanceId(timeout);
    }

    @Override
    public void initTransactions() {
        delegate.initTransactions();
    }

    @Override
    public void beginTransaction() {
        delegate.beginTransaction();
    }

    @Override
    @Deprecated
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, String consumerGroupId) {
        delegate.sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(consumerGroupId));
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
            ConsumerGroupMetadata groupMetadata) {
        delegate.sendOffsetsToTransaction(offsets, groupMetadata);
    }

    @Override
    public void commitTransaction() {
        delegate.commitTransaction();
    }

    @Override
    public void abortTransaction() {
        delegate.abortTransaction();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    @Override
    public void close(Duration timeout) {
        // A shared one is closed by SharedProducers when the context stops.
        if (owned) {
            shutdown(timeout);
        }
    }

    /** Closes the producer itself and its flush thread, shared or not. */
    void shutdown(Duration timeout) {
        flusher.stop();
        delegate.close(timeout);
    }

    /**
     * Flushes on a thread of its own. Kafka's {@code flush} blocks until every record appended so far is
     * acknowledged or expired: on the sending thread that held a route thread for the whole of an outage (up to
     * {@code delivery.timeout.ms}), and under the spool it kept a lone request from being spooled after
     * {@code bridge.spool.kafka-timeout-ms} (the spool arms its timeout once the sends return). While one flush
     * waits, the producer sends every batch at once anyway, so one more queued flush is all that is needed.
     */
    private static final class Flusher {
        private final Producer<Object, Object> producer;
        private final AtomicBoolean queued = new AtomicBoolean();
        private final ExecutorService thread;

        Flusher(Producer<Object, Object> producer) {
            this.producer = producer;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "kafka-producer-flush");
                t.setDaemon(true);
                return t;
            });
        }

        void request() {
            if (queued.compareAndSet(false, true)) {
                try {
                    thread.execute(this::flush);
                } catch (RejectedExecutionException e) {
                    queued.set(false);
                }
            }
        }

        private void flush() {
            queued.set(false);
            try {
                producer.flush();
            } catch (RuntimeException e) {
                // Closed meanwhile (a stop): its records are answered by their own callbacks.
            }
        }

        void stop() {
            thread.shutdownNow();
        }
    }
}
