package io.telemetrybridge.query;

/**
 * Bounds of the query side ({@code bridge.query.*}, validated by {@code BridgeSettings}; defaults and meaning in
 * {@code application.properties} and the docs/queries.md).
 *
 * @param timeoutMs          a query answers within this long, with {@code Partial} or {@code Timeout} when Kafka
 *                           was not read through in time, in ms
 * @param maxConcurrent      queries answered at once; more get 429 with {@code Retry-After}
 * @param parallelism        consumers (and threads) one query reads its partitions with
 * @param maxRecordsScanned  Kafka records one query may read before it stops with {@code Partial}
 * @param maxLatenessMs      how long after its event time a record may reach the bridge and still be found by
 *                           time range, in ms
 * @param maxClockSkewMs     how far ahead of the bridge's clock a client's event time may be, in ms
 * @param limits             default and largest {@code limit}, largest {@code offset + limit}
 * @param traceIndexMaxSpans spans the trace-id index holds (16 bytes each at most); 0 turns it off
 */
public record QuerySettings(long timeoutMs, int maxConcurrent, int parallelism, long maxRecordsScanned,
        long maxLatenessMs, long maxClockSkewMs, QueryLimits limits, int traceIndexMaxSpans) {}
