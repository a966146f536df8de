package io.telemetrybridge.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregations of one query over its matching records (docs/queries.md, "Aggregations"). Count and
 * Cardinality of nothing are 0, Sum 0, a Histogram {@code []}, every other function null. Each alias maps to
 * {@code {"function", "field", "value"}}, or with {@code group_by} to {@code {"function", "field", "group_by",
 * "groups": [{"key", "value"}]}}, groups ordered by key text with the records lacking the field (key null) first.
 */
public final class Aggregations {

    private final List<AggregationSpec> specs;
    private final List<Object> states = new ArrayList<>();

    public Aggregations(List<AggregationSpec> specs) {
        this.specs = List.copyOf(specs);
        for (AggregationSpec spec : this.specs) {
            states.add(spec.groupBy() == null ? Accumulator.of(spec)
                    : new TreeMap<String, Accumulator>(Comparator.nullsFirst(Comparator.naturalOrder())));
        }
    }

    /** Adds one matching record. Not thread-safe (the caller synchronises). */
    @SuppressWarnings("unchecked")
    public void add(JsonNode record) {
        for (int i = 0; i < specs.size(); i++) {
            AggregationSpec spec = specs.get(i);
            Object state = states.get(i);
            if (state instanceof Accumulator single) {
                single.add(record);
            } else {
                String key = groupKey(Fields.resolve(record, spec.groupBy()));
                ((Map<String, Accumulator>) state).computeIfAbsent(key, k -> Accumulator.of(spec)).add(record);
            }
        }
    }

    /** {"<alias>": {...}, ...} in the order of the specs. */
    @SuppressWarnings("unchecked")
    public ObjectNode result(ObjectMapper mapper) {
        ObjectNode result = mapper.createObjectNode();
        for (int i = 0; i < specs.size(); i++) {
            AggregationSpec spec = specs.get(i);
            ObjectNode entry = result.putObject(spec.alias())
                    .put("function", spec.function().wireName())
                    .put("field", spec.field());
            Object state = states.get(i);
            if (state instanceof Accumulator single) {
                entry.set("value", single.value(mapper.getNodeFactory()));
            } else {
                entry.put("group_by", spec.groupBy());
                var groups = entry.putArray("groups");
                for (Map.Entry<String, Accumulator> g : ((Map<String, Accumulator>) state).entrySet()) {
                    groups.addObject().put("key", g.getKey()).set("value", g.getValue().value(mapper.getNodeFactory()));
                }
            }
        }
        return result;
    }

    private static String groupKey(JsonNode node) {
        if (node == null) {
            return null;
        }
        String text = Fields.text(node);
        return text != null ? text : node.toString();
    }
}
