package io.telemetrybridge.kafka;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The last record of each request or chunk being published, so that the producer sends it at once instead of
 * waiting out {@code linger.ms} when the request is alone: an OpenTelemetry SDK's batch processor sends one export
 * at a time, so its throughput is its batch size over the bridge's latency, and a 5 ms linger was most of that
 * latency. With more requests in hand than {@link #ALONE}, linger batches them as before. Records are known by
 * the identity of their value array (what the route hands to camel-kafka is what reaches the producer).
 */
public final class LastRecords {

    /** At most this many ingestion requests in hand: the last record of one is sent without linger. */
    static final int ALONE = 1;

    private final Set<Object> last = ConcurrentHashMap.newKeySet();
    private final IntSupplier requestsInHand;

    /** @param requestsInHand ingestion requests being handled now (HTTP and gRPC) */
    public LastRecords(IntSupplier requestsInHand) {
        this.requestsInHand = requestsInHand;
    }

    /** {@code value} is the last record value of a request or chunk. */
    public void mark(byte[] value) {
        last.add(value);
    }

    /** Forgets {@code value} (its exchange is done, whether or not it was sent). */
    public void forget(byte[] value) {
        last.remove(value);
    }

    /** Whether the producer should flush after sending {@code value}: it ends a request that is (almost) alone. */
    boolean flushAfter(Object value) {
        return last.remove(value) && requestsInHand.getAsInt() <= ALONE;
    }
}
