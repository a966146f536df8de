package io.telemetrybridge.query;

import io.telemetrybridge.deadletter.PoisonRecords;
import io.telemetrybridge.error.QueryRejectedException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.telemetrybridge.kafka.ConsumerPool;
import io.telemetrybridge.kafka.RecordHeaders;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.observe.BridgeMeters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers queries by reading the telemetry topics: the topics are the only state, so every bridge instance
 * answers alike and a restart changes nothing. A query's time range becomes offsets per partition
 * ({@link PartitionScan#plan}); the partitions are read in parallel by pooled consumers, each record decoded
 * ({@link RecordDecoder}), checked against the range and the filters, and fed to {@link Hits}. A trace id reads
 * only the partition its key maps to.
 *
 * <p>Record timestamps are the time the bridge received the record; a record whose event time lies in
 * {@code [start, end)} is found when it reached the bridge at most {@code bridge.query.max-lateness-ms} after its
 * event time and its event time is at most {@code bridge.query.max-clock-skew-ms} ahead of the bridge's clock.
 */
public final class QueryService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);

    private final ConsumerPool pool;
    private final Map<Signal, String> topics;
    private final QuerySettings settings;
    private final ObjectMapper mapper;
    private final RecordDecoder decoder;
    private final PoisonRecords poison;
    private final ExecutorService readers;
    private final Semaphore running;
    private final TraceIndex traceIndex;
    private final BridgeMeters meters;

    /** @param traceIndex narrows trace-id reads of the traces topic; null reads the whole partition */
    public QueryService(ConsumerPool pool, Map<Signal, String> topics, QuerySettings settings, ObjectMapper mapper,
            RecordDecoder decoder, PoisonRecords poison, ExecutorService readers, TraceIndex traceIndex,
            BridgeMeters meters) {
        this.traceIndex = traceIndex;
        this.meters = meters;
        this.pool = pool;
        this.topics = topics;
        this.settings = settings;
        this.mapper = mapper;
        this.decoder = decoder;
        this.poison = poison;
        this.readers = readers;
        this.running = new Semaphore(settings.maxConcurrent());
    }

    /**
     * Runs {@code spec} and builds the seed's result ({@code MetricsResult}, {@code TracesResult},
     * {@code LogsResult}): {@code query_id}, {@code timestamp}, {@code status} ({@code Success}, {@code Partial},
     * {@code Timeout}), {@code data}, {@code aggregations} (ours), {@code metadata}, {@code duration_ms},
     * {@code errors}.
     *
     * @throws QueryRejectedException when too many queries run (busy) or Kafka cannot be read (not busy)
     */
    public ObjectNode run(QuerySpec spec) {
        return run(spec, null);
    }

    /**
     * Runs {@code spec} over the records of one tenant only (record header {@code telemetry.tenant}), as for a
     * read token bound to {@code tenant}; all records when {@code tenant} is null.
     */
    public ObjectNode run(QuerySpec spec, String tenant) {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(settings.timeoutMs());
        try {
            if (!running.tryAcquire()) {
                throw new QueryRejectedException("already answering " + settings.maxConcurrent()
                        + " queries (bridge.query.max-concurrent)", true);
            }
            try {
                return read(spec, tenant, started, deadline);
            } finally {
                running.release();
            }
        } catch (QueryRejectedException e) {
            meters.queried(spec.signal(), "rejected", System.nanoTime() - started, 0, 0);
            throw e;
        }
    }

    private ObjectNode read(QuerySpec spec, String tenant, long started, long deadline) {
        List<Consumer<byte[], byte[]>> consumers;
        try {
            consumers = pool.borrow(settings.parallelism(), remainingMs(deadline));
        } catch (ConsumerPool.PoolExhaustedException e) {
            throw new QueryRejectedException(e.getMessage(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryRejectedException("interrupted", true);
        }
        int handedOver = 0;
        try {
            String topic = topics.get(spec.signal());
            byte[] key = spec.traceId() == null ? null : spec.traceId().getBytes(StandardCharsets.UTF_8);
            List<PartitionScan.Range> ranges = plan(consumers.get(0), topic, spec, key, deadline);
            if (key != null && traceIndex != null && spec.signal() == Signal.TRACES) {
                ranges = ranges.stream().flatMap(r -> traceIndex.narrow(r, key).stream()).toList();
            }
            Scan scan = new Scan(spec, key, new Hits(spec.offset() + spec.limit(), new Aggregations(spec.aggregations())),
                    new AtomicLong(settings.maxRecordsScanned()),
                    tenant == null ? null : tenant.getBytes(StandardCharsets.UTF_8));
            List<List<PartitionScan.Range>> shares = share(ranges, consumers.size());
            List<Future<PartitionScan.Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < shares.size(); i++) {
                Consumer<byte[], byte[]> consumer = consumers.get(i);
                List<PartitionScan.Range> share = shares.get(i);
                futures.add(readers.submit(() -> scan.read(consumer, share, deadline)));
                handedOver++;
            }
            List<ObjectNode> errors = new ArrayList<>();
            boolean spent = false;
            int unfinished = 0;
            for (int i = 0; i < futures.size(); i++) {
                PartitionScan.Outcome outcome = await(futures.get(i), shares.get(i), deadline);
                unfinished += outcome.unfinished().size();
                if (outcome.budgetSpent()) {
                    // Reported once below: the partitions stopped for the bound, not for time.
                    spent = true;
                } else {
                    outcome.unfinished().forEach(u -> errors.add(error("timeout", "not read to the end within "
                            + settings.timeoutMs() + " ms (bridge.query.timeout-ms)", u)));
                }
            }
            if (spent) {
                errors.add(error("scan_limit", "stopped after reading " + settings.maxRecordsScanned()
                        + " records (bridge.query.max-records-scanned); narrow the time range or the filters", null));
            }
            long nonEmpty = ranges.stream().filter(r -> !r.isEmpty()).count();
            String status = errors.isEmpty() ? "Success"
                    : unfinished > 0 && unfinished == nonEmpty && scan.hits.matched() == 0 ? "Timeout" : "Partial";
            return result(spec, scan, status, errors,
                    ranges.stream().map(PartitionScan.Range::partition).distinct().count(), started);
        } finally {
            // Consumers handed to a reader are given back by it once it has stopped.
            for (int i = handedOver; i < consumers.size(); i++) {
                pool.release(consumers.get(i));
            }
        }
    }

    private List<PartitionScan.Range> plan(Consumer<byte[], byte[]> consumer, String topic, QuerySpec spec,
            byte[] key, long deadline) {
        // Kafka timestamps are not negative: a bound before 1970 reads from the start, or nothing.
        long fromMs = spec.start() == null ? 0
                : Math.max(0, saturatedAdd(millis(spec.start()), -settings.maxClockSkewMs()));
        long toMs = spec.end() == null ? Long.MAX_VALUE
                : Math.max(1, saturatedAdd(millis(spec.end()), settings.maxLatenessMs()));
        try {
            List<PartitionScan.Range> ranges = PartitionScan.plan(consumer, topic, fromMs, toMs, key,
                    Duration.ofMillis(remainingMs(deadline)));
            if (ranges == null) {
                throw new QueryRejectedException("topic " + topic + " does not exist", false);
            }
            return ranges;
        } catch (KafkaException e) {
            throw new QueryRejectedException("Kafka did not answer: " + e.getMessage(), false);
        }
    }

    private PartitionScan.Outcome await(Future<PartitionScan.Outcome> future, List<PartitionScan.Range> share,
            long deadline) {
        try {
            // A little past the deadline: the reader checks it between polls and stops by itself.
            return future.get(remainingMs(deadline) + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
        } catch (ExecutionException e) {
            LOG.warn("Reading {} failed: {}", share, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
        }
        return new PartitionScan.Outcome(share.stream().filter(r -> !r.isEmpty())
                .map(r -> r.partition() + ": offsets " + r.from() + " to " + r.to() + " not read").toList(), false);
    }

    private ObjectNode result(QuerySpec spec, Scan scan, String status, List<ObjectNode> errors, long partitions,
            long started) {
        ObjectNode result = mapper.createObjectNode();
        result.put("query_id", spec.queryId());
        result.put("timestamp", Instant.now().toString());
        result.put("status", status);
        ArrayNode data = result.putArray("data");
        scan.hits.page(spec.offset(), spec.limit()).forEach(h -> data.add(h.record()));
        if (!spec.aggregations().isEmpty()) {
            result.set("aggregations", scan.hits.aggregations().result(mapper));
        }
        ObjectNode metadata = result.putObject("metadata");
        spec.metadata().forEach(metadata::put);
        metadata.put("total_matches", String.valueOf(scan.hits.matched()));
        metadata.put("records_scanned", String.valueOf(scan.scanned.get()));
        metadata.put("partitions_read", String.valueOf(partitions));
        metadata.put("poison_records_skipped", String.valueOf(scan.poisoned.get()));
        result.put("duration_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        result.putArray("errors").addAll(errors);
        meters.queried(spec.signal(), status, System.nanoTime() - started, scan.scanned.get(), scan.poisoned.get());
        return result;
    }

    private ObjectNode error(String code, String message, String details) {
        ObjectNode e = mapper.createObjectNode();
        e.put("code", code);
        e.put("message", message);
        if (details != null) {
            e.put("details", details);
        }
        return e;
    }

    /** Ranges dealt round-robin to {@code n} readers, so each reads about as many partitions. */
    private static List<List<PartitionScan.Range>> share(List<PartitionScan.Range> ranges, int n) {
        List<PartitionScan.Range> work = ranges.stream().filter(r -> !r.isEmpty()).toList();
        List<List<PartitionScan.Range>> shares = new ArrayList<>();
        for (int i = 0; i < Math.max(1, Math.min(n, work.size())); i++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < work.size(); i++) {
            shares.get(i % shares.size()).add(work.get(i));
        }
        return shares;
    }

    private static long remainingMs(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static long millis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    @Override
    public void close() {
        readers.shutdownNow();
        if (traceIndex != null) {
            traceIndex.close();
        }
    }

    /** The state of one query while its partitions are read. */
    private final class Scan {
        final QuerySpec spec;
        final byte[] key;
        final Hits hits;
        final AtomicLong budget;
        final AtomicLong scanned = new AtomicLong();
        final AtomicLong poisoned = new AtomicLong();
        final boolean timeBounded;
        final RawPrefilter prefilter;

        /** Only records of this tenant (UTF-8), or null for all. */
        final byte[] tenant;

        Scan(QuerySpec spec, byte[] key, Hits hits, AtomicLong budget, byte[] tenant) {
            this.tenant = tenant;
            this.spec = spec;
            this.key = key;
            this.hits = hits;
            this.budget = budget;
            this.timeBounded = spec.start() != null || spec.end() != null;
            this.prefilter = RawPrefilter.of(spec.filters());
        }

        /** Runs on a reader thread; gives {@code consumer} back to the pool when done. */
        PartitionScan.Outcome read(Consumer<byte[], byte[]> consumer, List<PartitionScan.Range> share, long deadline) {
            boolean healthy = true;
            try {
                return PartitionScan.read(consumer, share, this::accept, deadline, budget,
                        nanos -> meters.fetched(spec.signal(), nanos));
            } catch (InterruptException e) {
                return new PartitionScan.Outcome(share.stream().map(r -> r.partition() + ": stopped at the deadline")
                        .toList(), false);
            } catch (RuntimeException e) {
                healthy = false;
                throw e;
            } finally {
                Thread.interrupted();
                if (healthy) {
                    pool.release(consumer);
                } else {
                    pool.discard(consumer);
                }
            }
        }

        private void accept(ConsumerRecord<byte[], byte[]> record) {
            scanned.incrementAndGet();
            if (key != null && !Arrays.equals(key, record.key()) || !prefilter.mayMatch(record)) {
                return;
            }
            if (tenant != null) {
                var h = record.headers().lastHeader(RecordHeaders.TENANT);
                if (h == null || !Arrays.equals(tenant, h.value())) {
                    return;
                }
            }
            List<JsonNode> items;
            try {
                items = decoder.decode(spec.signal(), record);
            } catch (RecordDecoder.PoisonRecordException e) {
                poisoned.incrementAndGet();
                poison.skipped(spec.signal(), record, "query-" + spec.signal().id(), e);
                return;
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                long time = EventTimes.nanos(spec.signal(), item);
                if (timeBounded && (time == Long.MIN_VALUE || !spec.inTimeRange(time))) {
                    continue;
                }
                if (spec.matches(item)) {
                    hits.add(new Hits.Hit(time, record.partition(), record.offset(), i, item));
                }
            }
        }
    }
}
