package io.telemetrybridge.error;

/**
 * The bridge cannot answer a query now; the client should retry later. {@code busy} means the bound on
 * concurrent queries is reached (429); otherwise Kafka did not answer or the topic is missing (503).
 */
public final class QueryRejectedException extends RuntimeException {

    private final boolean busy;

    public QueryRejectedException(String message, boolean busy) {
        super(message);
        this.busy = busy;
    }

    /** {@code true} for "too many queries" (429), {@code false} for "Kafka unavailable" (503). */
    public boolean busy() {
        return busy;
    }
}
