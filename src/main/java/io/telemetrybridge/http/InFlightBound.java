package io.telemetrybridge.http;

import io.telemetrybridge.codec.BoundedInputStream;
import io.telemetrybridge.error.RateLimitedException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * What the bridge holds of ingestion requests at once, over every front door (HTTP, HTTPS and gRPC share it):
 * at most {@code bridge.http.max-in-flight-requests} requests, and at most {@code bridge.http.max-in-flight-bytes}
 * of their bodies, counted decompressed. Past either, a request is refused with 429 / {@code RESOURCE_EXHAUSTED}
 * and a retry delay, so a burst of large batches or a slow Kafka cannot pile up request bodies until the heap
 * runs out (the Collector's OTLP receivers bound request bytes in the same way).
 *
 * <p>Bytes are reserved when known: an HTTP request's {@code Content-Length} before its body is read (a body
 * without one counts as the largest body allowed), a gRPC message's size once grpc-java has read (and inflated)
 * it, and a compressed HTTP body's inflated bytes while it is decoded ({@link #room}), so that a
 * 1 MiB gzip body that inflates to 20 MiB is stopped, retryably, when the 20 MiB do not fit.
 */
public final class InFlightBound {

    private final int limit;
    private final long maxBytes;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    /** The reservation of each HTTP request in hand, by request object (identity), for the decoding step. */
    private final Map<Object, Reservation> byRequest = new ConcurrentHashMap<>();

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
     * Reserves {@code n} bytes for one request; null (and nothing reserved) when they do not fit beside what is
     * held. A body larger than the whole budget is let in when nothing else is held, so it never waits for ever.
     */
    public Reservation tryReserve(long n) {
        Reservation r = new Reservation();
        return r.tryGrow(n) ? r : null;
    }

    /** Makes {@code r} the reservation of {@code request} (an HTTP request object) until {@link #detach}. */
    void attach(Object request, Reservation r) {
        byRequest.put(request, r);
    }

    void detach(Object request) {
        byRequest.remove(request);
    }

    /**
     * Room for what the body of an HTTP exchange inflates to, from the request's reservation: past what it holds
     * (the body as received) each step must fit, or the decoding stops with {@link RateLimitedException} (429 /
     * {@code RESOURCE_EXHAUSTED} with a retry delay; nothing was sent). No one to ask, and 0 granted, for an
     * exchange of another door (a gRPC message was held whole, inflated, before it was routed).
     */
    public Room room(Exchange exchange, int retryAfterSeconds) {
        Reservation r = exchange.getIn() instanceof HttpMessage http ? byRequest.get(http.getRequest()) : null;
        if (r == null) {
            return new Room(null, 0);
        }
        return new Room(bytes -> {
            if (!r.tryGrow(bytes)) {
                throw new RateLimitedException("the body inflates past the room left beside the requests in hand "
                        + "(bridge.http.max-in-flight-bytes: " + maxBytes + "); retry after " + retryAfterSeconds
                        + " s", retryAfterSeconds);
            }
        }, r.held());
    }

    /** What {@link #room} gives: whom to ask, and the bytes already held for the body. */
    public record Room(BoundedInputStream.Room ask, long granted) {}

    /** Requests in hand now, over every front door. */
    public int inUse() {
        return Math.min(Math.max(inFlight.get(), 0), limit);
    }

    /** Bytes of request bodies held now (decompressed, as far as decoded). */
    public long bytesInUse() {
        return Math.max(bytes.get(), 0);
    }

    public int limit() {
        return limit;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The bytes one request holds in the bound; given back once by {@link #close}. Synchronized: the decoding
     * step may still grow it on a worker thread while the request ends (the client went away) on the event loop.
     */
    public final class Reservation implements AutoCloseable {
        private long own;
        private boolean closed;

        synchronized long held() {
            return own;
        }

        /**
         * Holds {@code n} more bytes if they fit beside what every request holds, or if this request is the only
         * one holding any; {@code false} (and nothing more held) otherwise, and once closed.
         */
        public synchronized boolean tryGrow(long n) {
            if (closed) {
                return false;
            }
            while (true) {
                long held = bytes.get();
                if (held > own && held + n > maxBytes) {
                    return false;
                }
                if (bytes.compareAndSet(held, held + n)) {
                    own += n;
                    return true;
                }
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                bytes.addAndGet(-own);
            }
        }
    }
}
