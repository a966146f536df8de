package io.telemetrybridge.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many ingestion requests the bridge handles at once, over every front door (HTTP, HTTPS and gRPC share one
 * bound, {@code bridge.http.max-in-flight-requests}): past it a request is refused before its body is decoded,
 * with 429 / {@code RESOURCE_EXHAUSTED} and a retry delay, so a burst or a slow Kafka cannot pile up request
 * bodies in memory.
 */
public final class InFlightBound {

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** @param limit requests handled at once, at least 1 */
    public InFlightBound(int limit) {
        this.limit = limit;
    }

    /** Takes a slot; {@code false} (and nothing taken) when all are in use. */
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

    /** Requests in hand now, over every front door. */
    public int inUse() {
        return Math.min(Math.max(inFlight.get(), 0), limit);
    }

    public int limit() {
        return limit;
    }
}
