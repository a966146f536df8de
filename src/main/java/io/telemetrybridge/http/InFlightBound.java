package io.telemetrybridge.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * What the bridge holds of ingestion requests at once, over every front door (HTTP, HTTPS and gRPC share it):
 * at most {@code bridge.http.max-in-flight-requests} requests, and at most {@code bridge.http.max-in-flight-bytes}
 * of their bodies, counted decompressed. Past either, a request is refused with 429 / {@code RESOURCE_EXHAUSTED}
 * and a retry delay, before its body is decoded, so a burst of large batches or a slow Kafka cannot pile up
 * request bodies until the heap runs out (the same idea as the Collector's admission limit on request bytes).
 *
 * <p>Bytes are reserved when known: an HTTP request's {@code Content-Length} before its body is read (a body
 * without one counts as the largest body allowed), a gRPC message's size once grpc-java has read it, and what a
 * compressed body inflates to beyond that once it is decoded ({@link #chargeDecoded}; never refused, the request
 * is already in hand, but the next ones see it).
 */
public final class InFlightBound {

    private final int limit;
    private final long maxBytes;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    /**
     * @param limit    requests handled at once, at least 1
     * @param maxBytes bytes of request bodies (decompressed) held at once, at least 1
     */
    public InFlightBound(int limit, long maxBytes) {
        this.limit = limit;
        this.maxBytes = maxBytes;
    }

    /** Takes a request slot; {@code false} (and nothing taken) when all are in use. */
    public boolean tryAcquire() {
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back a slot taken by {@link #tryAcquire}. */
    public void release() {
        inFlight.decrementAndGet();
    }

    /**
     * Reserves {@code n} bytes; {@code false} (and nothing reserved) when they do not fit beside what is held.
     * A body larger than the whole budget is let in when nothing else is held, so it can never wait for ever.
     */
    public boolean tryReserve(long n) {
        while (true) {
            long held = bytes.get();
            if (held > 0 && held + n > maxBytes) {
                return false;
            }
            if (bytes.compareAndSet(held, held + n)) {
                return true;
            }
        }
    }

    /** Gives back bytes reserved by {@link #tryReserve} or charged by {@link #chargeDecoded}. */
    public void unreserve(long n) {
        bytes.addAndGet(-n);
    }

    /**
     * Charges what a body inflated to beyond the bytes reserved for it as received, until the exchange is done:
     * a 1 MiB gzip body may decode to 20 MiB, and it is the decoded request the bridge holds.
     *
     * @param received bytes reserved for the body as it came (its size on the wire)
     * @param decoded  its size once decompressed
     */
    public void chargeDecoded(Exchange exchange, long received, long decoded) {
        long extra = decoded - received;
        if (extra <= 0) {
            return;
        }
        bytes.addAndGet(extra);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                unreserve(extra);
            }
        });
    }

    /** Requests in hand now, over every front door. */
    public int inUse() {
        return Math.min(Math.max(inFlight.get(), 0), limit);
    }

    /** Bytes of request bodies held now (decompressed, as far as known). */
    public long bytesInUse() {
        return Math.max(bytes.get(), 0);
    }

    public int limit() {
        return limit;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
