package io.telemetrybridge.rules;

import io.telemetrybridge.model.LogData;
import io.telemetrybridge.model.LogLevel;
import io.telemetrybridge.model.MetricData;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.SpanEvent;
import io.telemetrybridge.model.SpanLink;
import io.telemetrybridge.model.TraceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Seed-API and file items ({@link MetricData}, {@link TraceData}, {@link LogData}) as {@link RecordView}s, and
 * copies of them with their attribute maps (metric labels) rewritten. The seed model has no resource: a rule's
 * {@code resource.<key>} reads the item's own attribute or label (docs/routing.md).
 */
final class SeedItems {

    private SeedItems() {}

    record View(Signal signal, String tenant, Object item) implements RecordView {

        @Override
        public String resource(String key) {
            return attribute(key);
        }

        @Override
        public String scope() {
            return null;
        }

        @Override
        public String attribute(String key) {
            return attributes(item).get(key);
        }

        @Override
        public String name() {
            if (item instanceof MetricData m) {
                return m.name();
            }
            return item instanceof TraceData t ? t.name() : null;
        }

        @Override
        public int severity() {
            if (!(item instanceof LogData l)) {
                return 0;
            }
            if (l.severityNumber() != null && l.severityNumber() > 0) {
                return l.severityNumber();
            }
            return l.level() == null ? 0 : SeedItems.severity(l.level());
        }
    }

    /** The OTLP severity number at the start of a seed level's range (TRACE 1, DEBUG 5, … FATAL 21). */
    static int severity(LogLevel level) {
        return level.ordinal() * 4 + 1;
    }

    static Map<String, String> attributes(Object item) {
        if (item instanceof MetricData m) {
            return m.labels();
        }
        if (item instanceof TraceData t) {
            return t.attributes();
        }
        return ((LogData) item).attributes();
    }

    /**
     * {@code item} with every attribute map passed through {@code rewrite}, and its own map (labels, attributes;
     * not those of span events and links) then through {@code own} (the item itself when none changed).
     */
    static Object rewrite(Object item, UnaryOperator<Map<String, String>> rewrite, UnaryOperator<Map<String, String>> own) {
        UnaryOperator<Map<String, String>> top = m -> own.apply(rewrite.apply(m));
        if (item instanceof MetricData m) {
            Map<String, String> labels = top.apply(m.labels());
            return labels == m.labels() ? m : new MetricData(m.name(), m.description(), m.unit(), m.metricType(),
                    m.value(), labels, m.timestamp());
        }
        if (item instanceof TraceData t) {
            Map<String, String> attrs = top.apply(t.attributes());
            boolean changed = attrs != t.attributes();
            List<SpanEvent> events = new ArrayList<>(t.events().size());
            for (SpanEvent e : t.events()) {
                Map<String, String> a = rewrite.apply(e.attributes());
                changed |= a != e.attributes();
                events.add(a == e.attributes() ? e : new SpanEvent(e.name(), e.timestamp(), a));
            }
            List<SpanLink> links = new ArrayList<>(t.links().size());
            for (SpanLink l : t.links()) {
                Map<String, String> a = rewrite.apply(l.attributes());
                changed |= a != l.attributes();
                links.add(a == l.attributes() ? l : new SpanLink(l.traceId(), l.spanId(), a));
            }
            return !changed ? t : new TraceData(t.traceId(), t.spanId(), t.parentSpanId(), t.name(), t.kind(),
                    t.startTime(), t.endTime(), t.durationNs(), t.status(), attrs, events, links);
        }
        LogData l = (LogData) item;
        Map<String, String> attrs = top.apply(l.attributes());
        return attrs == l.attributes() ? l : new LogData(l.timestamp(), l.level(), l.message(), attrs, l.body(),
                l.severityNumber(), l.severityText());
    }
}
