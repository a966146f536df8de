package io.telemetrybridge.rules;

import com.google.protobuf.Message;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.telemetrybridge.model.KeyedRecord;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.observe.BridgeMeters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The rules one exchange's read step applies, in the order of the route's rule steps, and the request's
 * tenant: drop rules first, then attribute rules, then the tenant stamp ({@value #TENANT_ATTRIBUTE} as a resource
 * attribute of OTLP data, an attribute or label of seed items, replacing whatever the client sent), then routing
 * (topic and key per record). An exchange with no rules and no tenant passes through unchanged, at no cost.
 */
public final class RuleSet {

    /** The exchange property holding the rule set. */
    public static final String PROPERTY = "telemetryRules";
    /** Where the tenant is written in the data (the record header has the same name). */
    public static final String TENANT_ATTRIBUTE = "telemetry.tenant";

    private static final RuleSet NONE = new RuleSet(null);

    private final BridgeMeters meters;
    private final List<DropRule> drops = new ArrayList<>();
    private final List<AttributeRule> attributes = new ArrayList<>();
    private RecordRouting routing;
    private Map<String, String> headers = Map.of();
    private String tenant;

    private RuleSet(BridgeMeters meters) {
        this.meters = meters;
    }

    /** The exchange's rule set, created on first use. */
    static RuleSet of(Exchange exchange) {
        RuleSet set = exchange.getProperty(PROPERTY, RuleSet.class);
        if (set == null) {
            set = new RuleSet(exchange.getContext().getRegistry().lookupByNameAndType("bridgeMeters",
                    BridgeMeters.class));
            exchange.setProperty(PROPERTY, set);
        }
        return set;
    }

    /** The rules of {@code exchange}, with its tenant ({@code tenant} may be null); none when it uses none. */
    public static RuleSet find(Exchange exchange, String tenant) {
        RuleSet set = exchange.getProperty(PROPERTY, RuleSet.class);
        if (set == null && tenant == null) {
            return NONE;
        }
        set = set != null ? set : of(exchange);
        set.tenant = tenant;
        return set;
    }

    void add(RecordRule rule, Exchange exchange) {
        if (rule instanceof DropRule d) {
            drops.add(d);
        } else if (rule instanceof AttributeRule a) {
            attributes.add(a);
        } else if (rule instanceof RecordRouting r) {
            routing = r;
            Map<String, String> copied = new LinkedHashMap<>();
            for (String h : r.headers()) {
                Object value = exchange.getMessage().getHeader(h);
                if (value != null) {
                    copied.put(h, value.toString());
                }
            }
            headers = copied;
        }
    }

    /** The tenant of the request, or null. */
    public String tenant() {
        return tenant;
    }

    /** Request headers the routing copies into every record's Kafka headers (lower-case names). */
    public Map<String, String> headers() {
        return headers;
    }

    private boolean changesItems(Signal s) {
        if (tenant != null) {
            return true;
        }
        for (DropRule d : drops) {
            if (d.appliesTo(s)) {
                return true;
            }
        }
        for (AttributeRule a : attributes) {
            if (a.appliesTo(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A valid OTLP export request of {@code signal} with the drop rules, attribute rules and tenant stamp
     * applied (possibly with no items left); {@code request} itself when nothing applies.
     */
    public Message apply(Signal signal, Message request) {
        if (!changesItems(signal)) {
            return request;
        }
        Counts counts = new Counts(signal);
        Message out = OtlpItems.walk(signal, request, new OtlpView(signal, tenant), new OtlpItems.Visitor() {
            @Override
            public List<KeyValue> resource(List<KeyValue> attrs) {
                List<KeyValue> a = redact(signal, attrs, counts);
                return tenant == null ? a : stamped(a);
            }

            @Override
            public Object group(OtlpView view) {
                return dropped(view, counts) ? null : Boolean.TRUE;
            }

            @Override
            public List<KeyValue> attributes(List<KeyValue> attrs) {
                return redact(signal, attrs, counts);
            }
        });
        counts.record(meters);
        return out;
    }

    /** A seed item with the rules and tenant stamp applied, or null when a drop rule leaves it out. */
    public Object apply(Signal signal, Object item) {
        if (!changesItems(signal)) {
            return item;
        }
        Counts counts = new Counts(signal);
        Object out = null;
        if (!dropped(new SeedItems.View(signal, tenant, item), counts)) {
            out = SeedItems.rewrite(item, map -> redact(signal, map, counts), map -> {
                if (tenant == null) {
                    return map;
                }
                Map<String, String> m = new LinkedHashMap<>(map);
                m.put(TENANT_ATTRIBUTE, tenant);
                return m;
            });
        }
        counts.record(meters);
        return out;
    }

    /** A part of a request bound for one topic and key ({@code null}: the route's topic, the bridge's key). */
    public record Routed(String topic, String key, Message request) {}

    /**
     * {@code request} cut by the routing's topic and key templates: one part per distinct (topic, key), items in
     * their order, each part holding its items' resources and scopes. One part, the request itself, without
     * routing (or when every item has the same address).
     */
    public List<Routed> route(Signal signal, Message request) {
        RecordRouting r = routing;
        if (r == null || (!r.routesTopic() && !r.keys())) {
            return List.of(new Routed(null, null, request));
        }
        Map<Object, Message> parts = OtlpItems.group(signal, request, new OtlpView(signal, tenant),
                new OtlpItems.Visitor() {
                    @Override
                    public List<KeyValue> resource(List<KeyValue> attrs) {
                        return attrs;
                    }

                    @Override
                    public Object group(OtlpView item) {
                        return address(r, item);
                    }

                    @Override
                    public List<KeyValue> attributes(List<KeyValue> attrs) {
                        return attrs;
                    }
                });
        List<Routed> routed = new ArrayList<>(parts.size());
        parts.forEach((a, part) -> {
            List<?> address = (List<?>) a;
            routed.add(new Routed((String) address.get(0), (String) address.get(1), part));
        });
        return routed;
    }

    /** The record of a seed item with the routing's topic and key (when set) in place of the bridge's. */
    public KeyedRecord route(Signal signal, Object item, KeyedRecord record) {
        RecordRouting r = routing;
        if (r == null || (!r.routesTopic() && !r.keys())) {
            return record;
        }
        SeedItems.View view = new SeedItems.View(signal, tenant, item);
        String key = r.keys() ? r.key(view) : record.key();
        return new KeyedRecord(key == null || key.isEmpty() ? null : key, record.value(), r.topic(view));
    }

    /** The routing of this exchange, or null. */
    public RecordRouting routing() {
        return routing;
    }

    private static List<String> address(RecordRouting r, RecordView item) {
        String key = r.key(item);
        return java.util.Arrays.asList(r.topic(item), key == null || key.isEmpty() ? (r.keys() ? "" : null) : key);
    }

    private boolean dropped(RecordView item, Counts counts) {
        for (DropRule d : drops) {
            if (d.drops(item)) {
                counts.dropped(d);
                return true;
            }
        }
        return false;
    }

    private List<KeyValue> redact(Signal signal, List<KeyValue> attrs, Counts counts) {
        if (attributes.isEmpty()) {
            return attrs;
        }
        List<KeyValue> out = null;
        for (int i = 0; i < attrs.size(); i++) {
            KeyValue kv = attrs.get(i);
            AttributeRule rule = matching(signal, kv.getKey());
            if (rule == null) {
                if (out != null) {
                    out.add(kv);
                }
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(attrs.subList(0, i));
            }
            counts.redacted(rule);
            String text = OtlpView.text(kv.getValue());
            String replacement = rule.replacement(text != null ? text : kv.getValue().toString());
            if (replacement != null) {
                out.add(KeyValue.newBuilder().setKey(kv.getKey())
                        .setValue(AnyValue.newBuilder().setStringValue(replacement)).build());
            }
        }
        return out == null ? attrs : out;
    }

    private Map<String, String> redact(Signal signal, Map<String, String> attrs, Counts counts) {
        if (attributes.isEmpty()) {
            return attrs;
        }
        Map<String, String> out = null;
        for (Map.Entry<String, String> e : attrs.entrySet()) {
            AttributeRule rule = matching(signal, e.getKey());
            if (rule != null) {
                out = out != null ? out : new LinkedHashMap<>(attrs);
                counts.redacted(rule);
                String replacement = rule.replacement(e.getValue() == null ? "" : e.getValue());
                if (replacement == null) {
                    out.remove(e.getKey());
                } else {
                    out.put(e.getKey(), replacement);
                }
            }
        }
        return out == null ? attrs : out;
    }

    private AttributeRule matching(Signal signal, String key) {
        for (AttributeRule a : attributes) {
            if (a.appliesTo(signal) && a.matches(key)) {
                return a;
            }
        }
        return null;
    }

    private List<KeyValue> stamped(List<KeyValue> attrs) {
        List<KeyValue> out = new ArrayList<>(attrs.size() + 1);
        for (KeyValue kv : attrs) {
            if (!kv.getKey().equals(TENANT_ATTRIBUTE)) {
                out.add(kv);
            }
        }
        out.add(KeyValue.newBuilder().setKey(TENANT_ATTRIBUTE)
                .setValue(AnyValue.newBuilder().setStringValue(tenant)).build());
        return out;
    }

    /** Items dropped and attributes changed per rule, recorded in meters once per request. */
    private static final class Counts {
        private final Signal signal;
        private final Map<RecordRule, long[]> dropped = new LinkedHashMap<>();
        private final Map<RecordRule, long[]> redacted = new LinkedHashMap<>();

        Counts(Signal signal) {
            this.signal = signal;
        }

        void dropped(RecordRule r) {
            dropped.computeIfAbsent(r, x -> new long[1])[0]++;
        }

        void redacted(RecordRule r) {
            redacted.computeIfAbsent(r, x -> new long[1])[0]++;
        }

        void record(BridgeMeters meters) {
            if (meters == null) {
                return;
            }
            dropped.forEach((r, n) -> meters.ruleDropped(r.name(), signal, n[0]));
            redacted.forEach((r, n) -> meters.ruleRedacted(r.name(), signal, n[0]));
        }
    }
}
