package io.telemetrybridge.spool;

import io.telemetrybridge.model.ExchangeProperties;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.observe.BridgeMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in local spool (docs/delivery.md, "Spool"): in place of camel-kafka's producer of the Kafka endpoints
 * (when {@code bridge.spool.enabled}; {@link SpoolEndpoints} says which sends), it sends
 * a request's records with its own idempotent producer and waits up to {@code bridge.spool.kafka-timeout-ms} for
 * Kafka. Records Kafka did not acknowledge by then (or refused with a retriable error) are appended to the spool,
 * synced to disk, and the request is answered as published. While the spool holds records, every new request
 * goes to it too, so records of one key reach Kafka in the order they were acknowledged; a forwarder thread sends
 * them oldest first as soon as Kafka takes records, and deletes a segment once Kafka acknowledged all of it.
 * At-least-once: records may reach Kafka twice (a request spooled while its own send was still under way, a
 * crash between a send and its acknowledgement being recorded); duplicates are byte-identical.
 * <p>
 * A full spool ({@code bridge.spool.max-bytes}) answers as without one: 503 / UNAVAILABLE, never eviction.
 */
public final class Spool extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    /** A replay batch: one read of the spool and one wait for Kafka's acknowledgements. */
    private static final int BATCH_ENTRIES = 5000;
    private static final long BATCH_BYTES = 8L << 20;
    /**
     * The longest pause between replay attempts while Kafka refuses them. Each attempt already waits up to the
     * producer's delivery timeout, so a longer pause only delays the replay once Kafka is back.
     */
    private static final long MAX_BACKOFF_MS = 2_000;

    private final SpoolSettings settings;
    private final Producer<Object, Object> producer;
    private final BridgeMeters meters;
    private final Object lock = new Object();
    private SpoolSegments segments;
    private volatile boolean holding;
    private volatile long holdingSince;
    private volatile boolean full;
    private ScheduledExecutorService timer;
    private java.util.concurrent.ExecutorService writers;
    private Thread forwarder;
    private volatile boolean running;
    private KafkaClientMetrics producerMeters;

    /**
     * @param producer a producer of byte-array keys and values with the bridge's producer settings (acks=all,
     *                 idempotence), owned by the spool from now on
     */
    public Spool(SpoolSettings settings, Producer<Object, Object> producer, BridgeMeters meters) {
        this.settings = settings;
        this.producer = producer;
        this.meters = meters;
    }

    /** Whether the spool is on ({@code bridge.spool.enabled}). */
    public boolean enabled() {
        return settings.enabled();
    }

    /** What the Kafka endpoints use ({@link SpoolEndpoints}): a step whose stopping does not stop the spool. */
    SpoolStep step() {
        return new SpoolStep(this);
    }

    @Override
    protected void doStart() throws Exception {
        segments = SpoolSegments.open(settings.dir(), settings.segmentBytes());
        timer = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "spool-timer");
            t.setDaemon(true);
            return t;
        });
        writers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "spool-writer");
            t.setDaemon(true);
            return t;
        });
        if (settings.fsyncIntervalMs() > 0) {
            timer.scheduleWithFixedDelay(this::forceQuietly, settings.fsyncIntervalMs(), settings.fsyncIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
        if (segments.entries() > 0) {
            holding = true;
            holdingSince = segments.oldestAppendedAt();
        }
        running = true;
        forwarder = new Thread(this::forward, "spool-forwarder");
        forwarder.setDaemon(true);
        forwarder.start();
    }

    /**
     * Binds the spool producer's Kafka client meters ({@code kafka_producer_*}, client id
     * {@code telemetry-bridge-spool}) to {@code registry}: with the spool on it sends every record of the routes it
     * stands in for, so {@code /api/v1/stats} counts it among the records produced.
     */
    public void bindProducerMeters(MeterRegistry registry) {
        producerMeters = new KafkaClientMetrics(producer);
        producerMeters.bindTo(registry);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (producerMeters != null) {
            producerMeters.close();
        }
        if (forwarder != null) {
            forwarder.interrupt();
            forwarder.join(10_000);
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        if (writers != null) {
            writers.shutdown();
            writers.awaitTermination(10, TimeUnit.SECONDS);
        }
        synchronized (lock) {
            if (segments != null) {
                segments.close();
            }
        }
        producer.close(java.time.Duration.ofSeconds(10));
    }

    /** The route step ({@link SpoolStep}): sends or spools the records of {@code exchange}. */
    boolean process(Exchange exchange, AsyncCallback callback) {
        List<SpoolEntry> entries = entries(exchange);
        if (entries.isEmpty()) {
            callback.done(true);
            return true;
        }
        if (holding) {
            try {
                if (appendIfHolding(exchange, entries)) {
                    callback.done(true);
                    return true;
                }
            } catch (Exception e) {
                refuse(exchange, e);
                callback.done(true);
                return true;
            }
        }
        return send(exchange, entries, callback);
    }

    /** Sends directly; spools on a timeout or a retriable error. */
    private boolean send(Exchange exchange, List<SpoolEntry> entries, AsyncCallback callback) {
        Attempt attempt = new Attempt(exchange, entries, callback);
        attempt.startClock();
        for (SpoolEntry e : entries) {
            if (attempt.decided()) {
                // Spooled or refused already (a send that blocked up to max.block.ms, an error): the rest would
                // only block again.
                break;
            }
            try {
                producer.send(record(e), (metadata, error) -> attempt.result(error));
            } catch (RuntimeException ex) {
                attempt.result(ex);
            }
        }
        return attempt.arm();
    }

    /** One request's direct send: decided once, by all acknowledgements, an error, or the timeout. */
    private final class Attempt {
        private final Exchange exchange;
        private final List<SpoolEntry> entries;
        private final AsyncCallback callback;
        private final AtomicInteger pending;
        private boolean decided;
        private boolean armed;
        private Runnable outcome;
        private boolean toDisk;
        private ScheduledFuture<?> timeout;

        Attempt(Exchange exchange, List<SpoolEntry> entries, AsyncCallback callback) {
            this.exchange = exchange;
            this.entries = entries;
            this.callback = callback;
            this.pending = new AtomicInteger(entries.size());
        }

        void result(Exception error) {
            if (error == null) {
                if (pending.decrementAndGet() == 0) {
                    decide(() -> { }, false);
                }
            } else if (error instanceof RetriableException || error.getCause() instanceof RetriableException) {
                decide(this::spool, true);
            } else {
                decide(() -> refuse(exchange, error), false);
            }
        }

        private void spool() {
            try {
                append(exchange, entries, true);
            } catch (Exception e) {
                refuse(exchange, e);
            }
        }

        /**
         * Starts the Kafka timeout before the first send, so that sends that block (a metadata wait, a full
         * producer buffer) count against it.
         */
        void startClock() {
            ScheduledFuture<?> t = timer.schedule(() -> decide(this::spool, true), settings.kafkaTimeoutMs(),
                    TimeUnit.MILLISECONDS);
            synchronized (this) {
                timeout = t;
            }
        }

        synchronized boolean decided() {
            return decided;
        }

        /**
         * Called once the sends are issued: true when already decided (answered on this thread); otherwise the
         * acknowledgements or the timeout answer it.
         */
        synchronized boolean arm() {
            armed = true;
            if (decided) {
                if (timeout != null) {
                    timeout.cancel(false);
                }
                outcome.run();
                callback.done(true);
                return true;
            }
            return false;
        }

        /**
         * Decides once. Spooling writes to disk, so it runs on the spool's writer threads, never on Kafka's I/O
         * thread; an acknowledgement completes the exchange where Kafka reported it, as camel-kafka does.
         */
        private void decide(Runnable what, boolean disk) {
            synchronized (this) {
                if (decided) {
                    return;
                }
                decided = true;
                outcome = what;
                toDisk = disk;
                if (!armed) {
                    return;
                }
                if (timeout != null) {
                    timeout.cancel(false);
                }
            }
            if (toDisk) {
                writers.execute(() -> {
                    what.run();
                    callback.done(false);
                });
            } else {
                what.run();
                callback.done(false);
            }
        }
    }

    /** Fails the send as camel-kafka's producer would: the sending route's error handling answers it (503). */
    private static void refuse(Exchange exchange, Exception e) {
        exchange.setException(e instanceof RuntimeException ? e
                : new KafkaException("the spool could not keep the records: " + e.getMessage(), e));
    }

    private boolean appendIfHolding(Exchange exchange, List<SpoolEntry> entries) throws IOException {
        long size;
        synchronized (lock) {
            if (!holding) {
                return false;
            }
            size = write(exchange, entries);
        }
        sync(size);
        return true;
    }

    private void append(Exchange exchange, List<SpoolEntry> entries, boolean startHolding) throws IOException {
        long size;
        synchronized (lock) {
            size = write(exchange, entries);
            if (startHolding && !holding) {
                holding = true;
                holdingSince = System.currentTimeMillis();
                LOG.warn("Kafka did not acknowledge records within {} ms: spooling to {} from now on (answers stay "
                        + "200; records go to Kafka, in order, once it takes them)", settings.kafkaTimeoutMs(),
                        settings.dir());
                lock.notifyAll();
            }
        }
        sync(size);
    }

    /** Appends under the lock; refuses past the bound. */
    private long write(Exchange exchange, List<SpoolEntry> entries) throws IOException {
        long bytes = segments.bytes();
        if (bytes >= settings.maxBytes()) {
            full = true;
            throw new SpoolFullException("Kafka is not accepting records and the spool is full ("
                    + bytes + " bytes, bridge.spool.max-bytes " + settings.maxBytes() + ")");
        }
        long size = segments.append(entries);
        full = false;
        meters.spooled(exchange.getProperty(ExchangeProperties.SIGNAL, Signal.class), entries.size());
        return size;
    }

    /** Under the fsync-per-request policy, makes the append durable before the answer. */
    private void sync(long size) throws IOException {
        if (settings.fsyncIntervalMs() == 0) {
            synchronized (lock) {
                segments.force();
            }
        }
    }

    private void forceQuietly() {
        try {
            synchronized (lock) {
                segments.force();
            }
        } catch (IOException e) {
            LOG.error("Could not sync the spool: {}", e.getMessage());
        }
    }

    /** Sends the spool to Kafka, oldest first, while the bridge runs. */
    private void forward() {
        long backoff = 500;
        while (running) {
            try {
                SpoolSegments.Batch batch;
                synchronized (lock) {
                    while (running && !holding) {
                        lock.wait(1000);
                    }
                    if (!running) {
                        return;
                    }
                    batch = segments.next(BATCH_ENTRIES, BATCH_BYTES);
                    if (batch.entries().isEmpty()) {
                        segments.clear();
                        holding = false;
                        full = false;
                        LOG.info("Spool sent to Kafka; requests go to Kafka directly again");
                        continue;
                    }
                }
                if (sendAll(batch.entries())) {
                    synchronized (lock) {
                        segments.acked(batch);
                        full = segments.bytes() >= settings.maxBytes();
                    }
                    meters.replayed(batch.entries().size());
                    backoff = 500;
                } else {
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.error("Spool forwarder: {}", e.toString());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    /** Sends one batch and waits for every acknowledgement: true when Kafka took all of it. */
    private boolean sendAll(List<SpoolEntry> entries) throws InterruptedException {
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>(entries.size());
        for (SpoolEntry e : entries) {
            try {
                futures.add(producer.send(record(e)));
            } catch (KafkaException ex) {
                return false;
            }
        }
        // The whole batch is appended: no use waiting out linger.ms.
        producer.flush();
        boolean ok = true;
        for (java.util.concurrent.Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException ex) {
                ok = false;
            }
        }
        return ok;
    }

    private static ProducerRecord<Object, Object> record(SpoolEntry e) {
        List<org.apache.kafka.common.header.Header> headers = new ArrayList<>(e.headers().size());
        for (Map.Entry<String, byte[]> h : e.headers()) {
            headers.add(new RecordHeader(h.getKey(), h.getValue()));
        }
        // The time the bridge took the record, as camel-kafka's sends have it: a record replayed after an
        // outage must not look newer to time-range queries (docs/kafka-records.md).
        return new ProducerRecord<>(e.topic(), null, e.appendedAt(), e.key(), e.value(), headers);
    }

    /**
     * The records camel-kafka would send for {@code exchange}: a list body of messages (value, {@code kafka.KEY},
     * {@code kafka.OVERRIDE_TOPIC}) on the intercepted endpoint's topic, with the exchange message's own headers
     * but Camel's and camel-kafka's as record headers.
     */
    @SuppressWarnings("unchecked")
    private static List<SpoolEntry> entries(Exchange exchange) {
        String topic = topic(exchange.getProperty(Exchange.INTERCEPTED_ENDPOINT, String.class));
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>();
        exchange.getMessage().getHeaders().forEach((k, v) -> {
            if (!k.regionMatches(true, 0, "camel", 0, 5) && !k.startsWith("kafka.") && v instanceof String s) {
                headers.add(Map.entry(k, s.getBytes(StandardCharsets.UTF_8)));
            }
        });
        List<SpoolEntry> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        Object body = exchange.getMessage().getBody();
        for (Object o : body instanceof List<?> l ? l : List.of()) {
            Message m = (Message) o;
            String t = m.getHeader(KafkaConstants.OVERRIDE_TOPIC, String.class);
            String key = m.getHeader(KafkaConstants.KEY, String.class);
            out.add(new SpoolEntry(now, t != null ? t : topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    m.getBody(byte[].class), headers));
        }
        return out;
    }

    /** The topic of a camel-kafka endpoint URI ({@code kafka://name?options} or {@code kafka:name}). */
    static String topic(String uri) {
        if (uri == null || !uri.startsWith("kafka:")) {
            throw new IllegalStateException("the spool stands in for Kafka endpoints only, not " + uri);
        }
        String rest = uri.substring("kafka:".length());
        if (rest.startsWith("//")) {
            rest = rest.substring(2);
        }
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    /**
     * What readiness and the stats API show: null while the spool holds nothing, else since when it spools, how
     * many records and bytes, and whether it is full.
     */
    public Map<String, Object> state() {
        if (!holding) {
            return null;
        }
        synchronized (lock) {
            return Map.of("spooling.since", Instant.ofEpochMilli(holdingSince).toString(),
                    "spool.records", segments.entries(), "spool.bytes", segments.bytes(),
                    "spool.full", full);
        }
    }

    /** Records held, bytes held, and the oldest record's age in seconds (for the meters). */
    public long[] figures() {
        synchronized (lock) {
            if (segments == null) {
                return new long[] {0, 0, 0};
            }
            long oldest = segments.oldestAppendedAt();
            return new long[] {segments.entries(), segments.bytes(),
                    oldest == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000)};
        }
    }

    /** Whether the spool accepts records now (on and not full). */
    public boolean accepting() {
        return settings.enabled() && !full;
    }
}
