package io.telemetrybridge.query;

import com.fasterxml.jackson.core.JacksonException;
import io.telemetrybridge.codec.JsonSyntax;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.model.Signal;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a query: the seed's MetricsQuery, TracesQuery or LogsQuery as a JSON body, or the short GET form of
 * query-string parameters. Every problem is an {@link InvalidInputException} naming the field by its wire
 * path ({@code filters[1].operator}); unknown fields are refused rather than ignored, so a typo such as
 * {@code limt} cannot silently widen a query. Source: docs/queries.md.
 */
public final class QueryParser {

    private static final List<String> COMMON = List.of(
            "id", "timestamp", "time_range", "filters", "aggregations", "limit", "offset", "metadata");
    private static final Map<Signal, Set<String>> ACCEPTED = Map.of(
            Signal.METRICS, fields(),
            Signal.TRACES, fields("trace_id", "span_id", "service_name", "operation_name"),
            Signal.LOGS, fields("log_level", "service_name"));

    /** A query id is echoed in the result; longer ids are refused rather than stored. */
    private static final int MAX_ID_LENGTH = 256;

    private final ObjectReader reader;
    private final QueryLimits limits;

    public QueryParser(ObjectMapper mapper, QueryLimits limits) {
        // A repeated key or trailing garbage makes the query ambiguous, so both are refused.
        this.reader = mapper.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * POST body: the seed's MetricsQuery / TracesQuery / LogsQuery, UTF-8 JSON. {@code aggregations} is
     * accepted for all three signals (the seed has it on MetricsQuery only).
     *
     * @throws InvalidInputException naming the field
     */
    public QuerySpec parse(Signal signal, byte[] body) {
        JsonNode query = read(body);
        if (query == null || !query.isObject()) {
            throw new InvalidInputException("", "expected a JSON object");
        }
        QueryJson.onlyKeys(query, "", ACCEPTED.get(signal));

        String id = QueryJson.optionalText(query, "id");
        if (id != null && (id.isEmpty() || id.length() > MAX_ID_LENGTH)) {
            throw new InvalidInputException("id", "expected a string of 1 to " + MAX_ID_LENGTH + " characters");
        }
        QueryJson.optionalInstant(query, "timestamp", "timestamp");
        Instant start = null;
        Instant end = null;
        JsonNode range = QueryJson.present(query.get("time_range"));
        if (range != null) {
            if (!range.isObject()) {
                throw new InvalidInputException("time_range", "expected an object {start, end}");
            }
            QueryJson.onlyKeys(range, "time_range", Set.of("start", "end"));
            start = QueryJson.optionalInstant(range, "start", "time_range.start");
            end = QueryJson.optionalInstant(range, "end", "time_range.end");
            QueryJson.checkRange(start, end, "time_range");
        }

        List<FieldFilter> filters = new ArrayList<>(SignalFilters.fromQuery(query));
        String traceId = filters.stream().filter(f -> f.field().equals("trace_id")).findFirst()
                .map(f -> ((FilterValue.StringValue) f.value()).value()).orElse(null);
        JsonNode filterList = QueryJson.array(query, "filters");
        for (int i = 0; i < filterList.size(); i++) {
            filters.add(filter(filterList.get(i), "filters[" + i + "]"));
        }
        List<AggregationSpec> aggregations = aggregations(QueryJson.array(query, "aggregations"));

        int limit = QueryJson.integer(query.get("limit"), "limit", 0, limits.maxLimit(), limits.defaultLimit());
        int offset = QueryJson.integer(query.get("offset"), "offset", 0, Integer.MAX_VALUE, 0);
        QueryJson.checkWindow(limits, limit, offset, "offset");
        return new QuerySpec(id == null ? UUID.randomUUID().toString() : id, signal, start, end, filters,
                aggregations, limit, offset, traceId, metadata(query.get("metadata")));
    }

    /**
     * GET form: query-string parameters {@code service, name, level, trace_id, from, to, limit, offset}.
     *
     * @throws InvalidInputException naming the parameter
     */
    public QuerySpec fromParameters(Signal signal, Map<String, String> parameters) {
        return QueryParameters.read(signal, parameters == null ? Map.of() : parameters, limits);
    }

    private JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return reader.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidInputException("", JsonSyntax.malformed(e));
        } catch (IOException e) {
            throw new InvalidInputException("", "unreadable body");
        }
    }


    private static FieldFilter filter(JsonNode node, String path) {
        try {
            if (!node.isObject()) {
                throw new InvalidInputException("", "expected an object {field, operator, value}");
            }
            QueryJson.onlyKeys(node, "", Set.of("field", "operator", "value"));
            String field = QueryJson.requiredText(node, "field");
            String name = QueryJson.requiredText(node, "operator");
            Operator operator = Operator.of(name);
            if (operator == null) {
                throw new InvalidInputException("operator", "unknown operator \"" + name + "\": expected one of "
                        + Operator.names());
            }
            // Exists and NotExists ignore their value, but a malformed one is still a mistake worth reporting.
            FilterValue value = null;
            if (node.get("value") != null) {
                try {
                    value = FilterValue.parse(node.get("value"));
                } catch (InvalidInputException e) {
                    throw e.under("value");
                }
            }
            return FieldFilter.of(field, operator, value);
        } catch (InvalidInputException e) {
            throw e.under(path);
        }
    }

    private static List<AggregationSpec> aggregations(JsonNode list) {
        List<AggregationSpec> specs = new ArrayList<>(list.size());
        Set<String> aliases = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "aggregations[" + i + "]";
            AggregationSpec spec;
            try {
                spec = AggregationSpec.parse(list.get(i));
            } catch (InvalidInputException e) {
                throw e.under(path);
            }
            if (!aliases.add(spec.alias())) {
                throw new InvalidInputException(path + ".alias", "duplicate alias \"" + spec.alias()
                        + "\": give each aggregation its own alias");
            }
            specs.add(spec);
        }
        return specs;
    }

    private static Map<String, String> metadata(JsonNode node) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return metadata;
        }
        if (!node.isObject()) {
            throw new InvalidInputException("metadata", "expected an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new InvalidInputException("metadata." + e.getKey(), "expected a string");
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        return metadata;
    }

    private static Set<String> fields(String... extra) {
        Set<String> names = new LinkedHashSet<>(COMMON);
        names.addAll(List.of(extra));
        return names;
    }
}
