package io.telemetrybridge.http;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A warning logged at most once per {@link #PERIOD_MS}, with the number of times it was suppressed in between:
 * while Kafka is away every request answered 503 would otherwise log a line (the kafka readiness check already
 * logs the change of state).
 */
final class Throttled {

    static final long PERIOD_MS = 30_000;

    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong suppressed = new AtomicLong();

    /** Logs {@code message} (SLF4J pattern, one argument slot left for the suppressed count) or counts it. */
    void warn(Logger log, String message, Object... args) {
        long now = System.currentTimeMillis();
        long before = last.get();
        if (now - before >= PERIOD_MS && last.compareAndSet(before, now)) {
            long more = suppressed.getAndSet(0);
            Object[] all = Arrays.copyOf(args, args.length + 1);
            all[args.length] = more == 0 ? "" : " (and " + more + " more like it in the last " + PERIOD_MS / 1000
                    + " s)";
            log.warn(message + "{}", all);
        } else {
            suppressed.incrementAndGet();
        }
    }
}
