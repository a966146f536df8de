package io.telemetrybridge.ingest;

import io.telemetrybridge.error.RateLimitedException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The records-per-second bound of each tenant ({@code bridge.http.auth.tenant-records-per-second}; docs/routing.md,
 * "Tenants"): a token bucket per tenant holding at most one second of its rate. A request is let through while
 * the bucket is not empty and takes its records from it (it may go below zero, so one request larger than a
 * second's worth still passes, and the next ones wait for it); otherwise it is refused whole.
 */
public final class TenantRates {

    private final double perSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond records per second per tenant; 0 for no bound */
    public TenantRates(double perSecond) {
        this.perSecond = perSecond;
    }

    /**
     * Takes {@code records} from {@code tenant}'s bucket.
     *
     * @throws RateLimitedException when the bucket is empty, with the seconds until it is not
     */
    public void take(String tenant, int records) {
        if (perSecond <= 0 || tenant == null || records == 0) {
            return;
        }
        Bucket b = buckets.computeIfAbsent(tenant, t -> new Bucket(perSecond));
        double missing = b.take(records, perSecond, System.nanoTime());
        if (missing > 0) {
            int retry = (int) Math.max(1, Math.ceil(missing / perSecond));
            throw new RateLimitedException("tenant " + tenant + " is over its rate of " + (long) perSecond
                    + " records per second (bridge.http.auth.tenant-records-per-second); retry after " + retry + " s",
                    retry);
        }
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(double capacity) {
            this.tokens = capacity;
            this.last = System.nanoTime();
        }

        /** 0 when taken, else how many tokens the bucket lacks before anything may be taken. */
        synchronized double take(int n, double rate, long now) {
            tokens = Math.min(rate, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens <= 0) {
                return -tokens + 1;
            }
            tokens -= n;
            return 0;
        }
    }
}
