package io.telemetrybridge.error;

/**
 * A request the bridge cannot take now, though it may later: its tenant is over its rate
 * ({@code bridge.http.auth.tenant-records-per-second}), or its body inflates past the room left in
 * {@code bridge.http.max-in-flight-bytes}. Nothing of the request was sent. Answered 429 with {@code Retry-After}
 * (gRPC: RESOURCE_EXHAUSTED with RetryInfo), so the client sends it again later; never dead-lettered.
 */
public final class RateLimitedException extends RuntimeException {

    private final int retryAfterSeconds;

    public RateLimitedException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** When the tenant's rate allows the request again, in whole seconds (at least 1). */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
