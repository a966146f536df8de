package io.telemetrybridge.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.model.Signal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated query over one signal's topic: the seed's MetricsQuery, TracesQuery or LogsQuery (docs/queries.md)
 * after the signal-specific fields ({@code trace_id}, {@code service_name}, {@code log_level}, ...)
 * have become filters. The time range is {@code [start, end)}, either end open when null; {@code traceId} is the
 * lower-case hex trace id of a traces query that names one, else null.
 */
public record QuerySpec(String queryId, Signal signal, Instant start, Instant end, List<FieldFilter> filters,
        List<AggregationSpec> aggregations, int limit, int offset, String traceId, Map<String, String> metadata) {

    public QuerySpec {
        Objects.requireNonNull(queryId, "queryId");
        Objects.requireNonNull(signal, "signal");
        filters = List.copyOf(filters == null ? List.of() : filters);
        aggregations = List.copyOf(aggregations == null ? List.of() : aggregations);
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset must not be negative, got " + limit + ", " + offset);
        }
        if (start != null && end != null && !start.isBefore(end)) {
            throw new IllegalArgumentException("start " + start + " is not before end " + end);
        }
        if (traceId != null && signal != Signal.TRACES) {
            throw new IllegalArgumentException("only a traces query has a trace id");
        }
    }

    /** true when every filter matches (AND); a query without filters matches every record. */
    public boolean matches(JsonNode record) {
        for (FieldFilter filter : filters) {
            if (!filter.test(record)) {
                return false;
            }
        }
        return true;
    }

    /**
     * start inclusive, end exclusive: [start, end). eventNanos = ns since Unix epoch; a record without a time
     * (Long.MIN_VALUE from {@link EventTimes#nanos}) is only in a range with an open start.
     */
    public boolean inTimeRange(long eventNanos) {
        return (start == null || eventNanos >= startNanos()) && (end == null || eventNanos < endNanos());
    }

    /** The start in ns since the Unix epoch; Long.MIN_VALUE when open (or before 1677). */
    public long startNanos() {
        return start == null ? Long.MIN_VALUE : saturatedNanos(start);
    }

    /** The end in ns since the Unix epoch; Long.MAX_VALUE when open (or after 2262). */
    public long endNanos() {
        return end == null ? Long.MAX_VALUE : saturatedNanos(end);
    }

    private static long saturatedNanos(Instant instant) {
        long nanos = EventTimes.toNanos(instant);
        if (nanos == Long.MIN_VALUE && instant.getEpochSecond() > 0) {
            return Long.MAX_VALUE;
        }
        return nanos;
    }
}
