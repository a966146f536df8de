package io.telemetrybridge.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded pool of Kafka consumers for reading topics back (queries, trace lookups). The consumers join no
 * consumer group and commit nothing: every read assigns partitions and seeks explicitly, so no instance keeps
 * offsets that would make it skip data, and two bridges answer alike. Consumers are created on first use (a
 * cold consumer costs a metadata round trip) and kept connected; their Kafka client meters
 * ({@code kafka_consumer_*}) are bound to Micrometer. Thread-safe; each borrowed consumer is used by one thread.
 */
public final class ConsumerPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerPool.class);

    private final Map<String, Object> config;
    private final Semaphore permits;
    private final Deque<Consumer<byte[], byte[]>> idle = new ArrayDeque<>();
    private final Map<Consumer<byte[], byte[]>, KafkaClientMetrics> meters = new HashMap<>();
    private final Supplier<MeterRegistry> registry;
    private volatile boolean closed;

    /**
     * @param kafka    client settings (bootstrap servers, security); group and commit settings are ours
     * @param size     most consumers open at once
     * @param registry where each consumer's meters are bound
     */
    public ConsumerPool(Map<String, Object> kafka, int size, Supplier<MeterRegistry> registry) {
        Map<String, Object> c = new HashMap<>(kafka);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A position that fell out of retention restarts at the oldest record still there.
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        // A fetch at the end of a partition waits this long for data; reads never wait for new records.
        c.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        this.config = c;
        this.permits = new Semaphore(size, true);
        this.registry = registry;
    }

    /**
     * Borrows up to {@code wanted} consumers (at least one), waiting at most {@code waitMs} for the first.
     *
     * @return the consumers, unassigned; give each back with {@link #release}
     * @throws PoolExhaustedException when no consumer became free in time
     */
    public List<Consumer<byte[], byte[]>> borrow(int wanted, long waitMs) throws InterruptedException {
        if (!permits.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
            throw new PoolExhaustedException("all query consumers are busy");
        }
        int n = 1;
        while (n < wanted && permits.tryAcquire()) {
            n++;
        }
        List<Consumer<byte[], byte[]>> out = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                out.add(take());
            }
        } catch (RuntimeException e) {
            out.forEach(this::release);
            permits.release(n - out.size());
            throw e;
        }
        return out;
    }

    /** Returns a consumer; a consumer that failed should be passed to {@link #discard} instead. */
    public void release(Consumer<byte[], byte[]> consumer) {
        try {
            consumer.unsubscribe();
            synchronized (this) {
                if (!closed) {
                    idle.push(consumer);
                    return;
                }
            }
            consumer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            discardQuietly(consumer);
        } finally {
            permits.release();
        }
    }

    /** Closes a consumer that is no longer usable and frees its place in the pool. */
    public void discard(Consumer<byte[], byte[]> consumer) {
        discardQuietly(consumer);
        permits.release();
    }

    private void discardQuietly(Consumer<byte[], byte[]> consumer) {
        synchronized (this) {
            KafkaClientMetrics m = meters.remove(consumer);
            if (m != null) {
                m.close();
            }
        }
        try {
            consumer.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("Closing a query consumer failed: {}", e.getMessage());
        }
    }

    /**
     * A consumer with the pool's settings that is not part of the pool (for a reader that runs all the time);
     * the caller closes it.
     */
    public Consumer<byte[], byte[]> dedicated(String clientId) {
        Map<String, Object> c = new HashMap<>(config);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Like {@link #dedicated}, for a reader of keys and offsets only: record values read as null. The trace
     * index tails every record the bridge writes; copying each value out of the fetched batch was a tenth of
     * the bridge's allocation under load (bench/profile.sh).
     */
    public Consumer<byte[], byte[]> keysOnly(String clientId) {
        Map<String, Object> c = new HashMap<>(config);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new Deserializer<byte[]>() {
            @Override
            public byte[] deserialize(String topic, byte[] data) {
                return null;
            }

            @Override
            public byte[] deserialize(String topic, Headers headers, ByteBuffer data) {
                return null;
            }
        });
    }

    private Consumer<byte[], byte[]> take() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the bridge is stopping");
            }
            Consumer<byte[], byte[]> c = idle.poll();
            if (c != null) {
                return c;
            }
        }
        Map<String, Object> c = new HashMap<>(config);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, config.getOrDefault(ConsumerConfig.CLIENT_ID_CONFIG,
                "telemetry-bridge-query") + "-" + System.identityHashCode(c));
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaClientMetrics m = new KafkaClientMetrics(consumer);
        m.bindTo(registry.get());
        synchronized (this) {
            meters.put(consumer, m);
        }
        return consumer;
    }

    @Override
    public void close() {
        List<Consumer<byte[], byte[]>> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
            meters.values().forEach(KafkaClientMetrics::close);
            meters.clear();
        }
        toClose.forEach(c -> c.close(Duration.ofSeconds(1)));
    }

    /** No consumer of the pool became free in time: the bridge is answering as many reads as it may. */
    public static final class PoolExhaustedException extends RuntimeException {
        public PoolExhaustedException(String message) {
            super(message);
        }
    }
}
