package io.telemetrybridge.query;

import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.model.Signal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The GET form of a query: {@code service}, {@code name} (metrics and traces), {@code level} (logs),
 * {@code trace_id} (traces), {@code from} and {@code to} (RFC 3339 or integer epoch milliseconds, range
 * {@code [from, to)}), {@code limit} and {@code offset}. Each becomes the same filter or field as in the
 * seed's query body (docs/queries.md); an unknown or empty parameter is refused, naming it.
 */
final class QueryParameters {

    private QueryParameters() {}

    static QuerySpec read(Signal signal, Map<String, String> parameters, QueryLimits limits) {
        Set<String> accepted = accepted(signal);
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            if (!accepted.contains(e.getKey())) {
                throw new InvalidInputException(e.getKey(), "unknown parameter; accepted: "
                        + String.join(", ", accepted));
            }
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw new InvalidInputException(e.getKey(), "expected a value");
            }
        }
        List<FieldFilter> filters = new ArrayList<>();
        String traceId = null;
        if (parameters.containsKey("trace_id")) {
            traceId = SignalFilters.traceId(parameters.get("trace_id"), "trace_id");
            filters.add(FieldFilter.equalsText("trace_id", traceId));
        }
        if (parameters.containsKey("level")) {
            filters.add(FieldFilter.equalsText("level", SignalFilters.logLevel(parameters.get("level"), "level")));
        }
        if (parameters.containsKey("service")) {
            filters.add(FieldFilter.equalsText("service", parameters.get("service")));
        }
        if (parameters.containsKey("name")) {
            filters.add(FieldFilter.equalsText("name", parameters.get("name")));
        }
        Instant from = time(parameters.get("from"), "from");
        Instant to = time(parameters.get("to"), "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidInputException("from", "from " + from + " is not before to " + to);
        }
        int limit = whole(parameters.get("limit"), "limit", limits.maxLimit(), limits.defaultLimit());
        int offset = whole(parameters.get("offset"), "offset", Integer.MAX_VALUE, 0);
        QueryJson.checkWindow(limits, limit, offset, "offset");
        return new QuerySpec(UUID.randomUUID().toString(), signal, from, to, filters, List.of(), limit, offset,
                traceId, Map.of());
    }

    private static Set<String> accepted(Signal signal) {
        Set<String> names = new LinkedHashSet<>(List.of("service"));
        switch (signal) {
            case METRICS -> names.add("name");
            case TRACES -> names.addAll(List.of("name", "trace_id"));
            case LOGS -> names.add("level");
        }
        names.addAll(List.of("from", "to", "limit", "offset"));
        return names;
    }

    private static Instant time(String text, String path) {
        if (text == null) {
            return null;
        }
        if (text.matches("-?\\d{1,19}")) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(text));
            } catch (NumberFormatException | DateTimeException e) {
                throw new InvalidInputException(path, "epoch milliseconds out of range: " + text);
            }
        }
        return QueryJson.instant(text, path);
    }

    private static int whole(String text, String path, int max, int absent) {
        if (text == null) {
            return absent;
        }
        long value = -1;
        if (text.matches("\\d{1,10}")) {
            value = Long.parseLong(text);
        }
        if (value < 0 || value > max) {
            throw new InvalidInputException(path, "expected a whole number from 0 to " + max + ", got "
                    + SignalFilters.shown(text));
        }
        return (int) value;
    }
}
