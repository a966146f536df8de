package io.telemetrybridge.rules;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.telemetrybridge.model.Signal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a valid OTLP export request item by item (spans, metric data points, log records) in one pass and builds,
 * per group a {@link Visitor} puts items in, the request of that group's items: each keeps its items' resources
 * and scopes (fields other than attributes as they are), in their order; items put in no group are left out, and
 * scopes, metrics and resources left empty by that too. Attribute lists are rewritten by the visitor.
 */
final class OtlpItems {

    /** What to do with each item; {@code view} shows the item being decided. */
    interface Visitor {
        /** The resource's attributes as they are to be written (the list itself when unchanged). */
        List<KeyValue> resource(List<KeyValue> attributes);

        /** The group of the item, or null to leave it out. */
        Object group(OtlpView view);

        /** The item's (or its events' and links') attributes as they are to be written. */
        List<KeyValue> attributes(List<KeyValue> attributes);
    }

    private OtlpItems() {}

    /** The request of the items {@code v} keeps (any group), or an empty request. */
    static Message walk(Signal signal, Message request, OtlpView view, Visitor v) {
        Map<Object, Message> groups = group(signal, request, view, v);
        if (groups.isEmpty()) {
            return switch (signal) {
                case TRACES -> ExportTraceServiceRequest.getDefaultInstance();
                case METRICS -> ExportMetricsServiceRequest.getDefaultInstance();
                case LOGS -> ExportLogsServiceRequest.getDefaultInstance();
            };
        }
        return groups.values().iterator().next();
    }

    /** One request per group, groups in order of their first item. */
    static Map<Object, Message> group(Signal signal, Message request, OtlpView view, Visitor v) {
        return switch (signal) {
            case TRACES -> traces((ExportTraceServiceRequest) request, view, v);
            case METRICS -> metrics((ExportMetricsServiceRequest) request, view, v);
            case LOGS -> logs((ExportLogsServiceRequest) request, view, v);
        };
    }

    private static Resource resource(Resource r, OtlpView view, Visitor v) {
        List<KeyValue> attrs = v.resource(r.getAttributesList());
        view.resource = attrs;
        return attrs == r.getAttributesList() ? r : r.toBuilder().clearAttributes().addAllAttributes(attrs).build();
    }

    private static Map<Object, Message> traces(ExportTraceServiceRequest req, OtlpView view, Visitor v) {
        Map<Object, ExportTraceServiceRequest.Builder> out = new LinkedHashMap<>();
        for (ResourceSpans rs : req.getResourceSpansList()) {
            Resource resource = resource(rs.getResource(), view, v);
            Map<Object, ResourceSpans.Builder> resources = new LinkedHashMap<>();
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                view.scope = ss.getScope().getName();
                Map<Object, ScopeSpans.Builder> scopes = new LinkedHashMap<>();
                for (Span span : ss.getSpansList()) {
                    view.attributes = span.getAttributesList();
                    view.name = span.getName();
                    view.severity = 0;
                    Object g = v.group(view);
                    if (g != null) {
                        scopes.computeIfAbsent(g, x -> ss.toBuilder().clearSpans()).addSpans(span(span, v));
                    }
                }
                scopes.forEach((g, sb) -> resources.computeIfAbsent(g, x -> rs.toBuilder().clearScopeSpans()
                        .setResource(resource)).addScopeSpans(sb));
            }
            resources.forEach((g, rb) -> out.computeIfAbsent(g, x -> ExportTraceServiceRequest.newBuilder())
                    .addResourceSpans(rb));
        }
        return built(out);
    }

    private static Span span(Span span, Visitor v) {
        List<KeyValue> attrs = v.attributes(span.getAttributesList());
        boolean changed = attrs != span.getAttributesList();
        List<Span.Event> events = new ArrayList<>(span.getEventsCount());
        for (Span.Event e : span.getEventsList()) {
            List<KeyValue> a = v.attributes(e.getAttributesList());
            changed |= a != e.getAttributesList();
            events.add(a == e.getAttributesList() ? e : e.toBuilder().clearAttributes().addAllAttributes(a).build());
        }
        List<Span.Link> links = new ArrayList<>(span.getLinksCount());
        for (Span.Link l : span.getLinksList()) {
            List<KeyValue> a = v.attributes(l.getAttributesList());
            changed |= a != l.getAttributesList();
            links.add(a == l.getAttributesList() ? l : l.toBuilder().clearAttributes().addAllAttributes(a).build());
        }
        if (!changed) {
            return span;
        }
        return span.toBuilder().clearAttributes().addAllAttributes(attrs).clearEvents().addAllEvents(events)
                .clearLinks().addAllLinks(links).build();
    }

    private static Map<Object, Message> logs(ExportLogsServiceRequest req, OtlpView view, Visitor v) {
        Map<Object, ExportLogsServiceRequest.Builder> out = new LinkedHashMap<>();
        for (ResourceLogs rl : req.getResourceLogsList()) {
            Resource resource = resource(rl.getResource(), view, v);
            Map<Object, ResourceLogs.Builder> resources = new LinkedHashMap<>();
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                view.scope = sl.getScope().getName();
                Map<Object, ScopeLogs.Builder> scopes = new LinkedHashMap<>();
                for (LogRecord log : sl.getLogRecordsList()) {
                    view.attributes = log.getAttributesList();
                    view.name = log.getEventName();
                    view.severity = log.getSeverityNumberValue();
                    Object g = v.group(view);
                    if (g != null) {
                        List<KeyValue> a = v.attributes(log.getAttributesList());
                        scopes.computeIfAbsent(g, x -> sl.toBuilder().clearLogRecords()).addLogRecords(
                                a == log.getAttributesList() ? log
                                        : log.toBuilder().clearAttributes().addAllAttributes(a).build());
                    }
                }
                scopes.forEach((g, sb) -> resources.computeIfAbsent(g, x -> rl.toBuilder().clearScopeLogs()
                        .setResource(resource)).addScopeLogs(sb));
            }
            resources.forEach((g, rb) -> out.computeIfAbsent(g, x -> ExportLogsServiceRequest.newBuilder())
                    .addResourceLogs(rb));
        }
        return built(out);
    }

    private static Map<Object, Message> metrics(ExportMetricsServiceRequest req, OtlpView view, Visitor v) {
        Map<Object, ExportMetricsServiceRequest.Builder> out = new LinkedHashMap<>();
        for (ResourceMetrics rm : req.getResourceMetricsList()) {
            Resource resource = resource(rm.getResource(), view, v);
            Map<Object, ResourceMetrics.Builder> resources = new LinkedHashMap<>();
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                view.scope = sm.getScope().getName();
                Map<Object, ScopeMetrics.Builder> scopes = new LinkedHashMap<>();
                for (Metric metric : sm.getMetricsList()) {
                    view.name = metric.getName();
                    view.severity = 0;
                    points(metric, view, v).forEach((g, m) -> scopes.computeIfAbsent(g,
                            x -> sm.toBuilder().clearMetrics()).addMetrics(m));
                }
                scopes.forEach((g, sb) -> resources.computeIfAbsent(g, x -> rm.toBuilder().clearScopeMetrics()
                        .setResource(resource)).addScopeMetrics(sb));
            }
            resources.forEach((g, rb) -> out.computeIfAbsent(g, x -> ExportMetricsServiceRequest.newBuilder())
                    .addResourceMetrics(rb));
        }
        return built(out);
    }

    private static <B extends Message.Builder> Map<Object, Message> built(Map<Object, B> builders) {
        Map<Object, Message> out = new LinkedHashMap<>();
        builders.forEach((g, b) -> out.put(g, b.build()));
        return out;
    }

    /**
     * The metric once per group of its data points, each copy holding that group's points (attributes rewritten).
     * Every data point type has {@code attributes} and its container {@code data_points}, so one walk serves
     * gauge, sum, histogram, exponential histogram and summary. A metric without data is one item.
     */
    @SuppressWarnings("unchecked")
    private static Map<Object, Metric> points(Metric metric, OtlpView view, Visitor v) {
        FieldDescriptor dataField = metric.getOneofFieldDescriptor(Metric.getDescriptor().getOneofs().get(0));
        if (dataField == null) {
            view.attributes = List.of();
            Object g = v.group(view);
            return g == null ? Map.of() : Map.of(g, metric);
        }
        Message data = (Message) metric.getField(dataField);
        FieldDescriptor pointsField = data.getDescriptorForType().findFieldByName("data_points");
        List<Message> points = (List<Message>) data.getField(pointsField);
        Map<Object, List<Message>> groups = new LinkedHashMap<>();
        boolean changed = false;
        for (Message p : points) {
            FieldDescriptor attrField = p.getDescriptorForType().findFieldByName("attributes");
            List<KeyValue> attrs = (List<KeyValue>) p.getField(attrField);
            view.attributes = attrs;
            Object g = v.group(view);
            if (g == null) {
                changed = true;
                continue;
            }
            List<KeyValue> a = v.attributes(attrs);
            changed |= a != attrs;
            groups.computeIfAbsent(g, x -> new ArrayList<>()).add(a == attrs ? p : p.toBuilder().setField(attrField, a).build());
        }
        Map<Object, Metric> out = new LinkedHashMap<>();
        if (!changed && groups.size() == 1) {
            out.put(groups.keySet().iterator().next(), metric);
            return out;
        }
        groups.forEach((g, kept) -> out.put(g, metric.toBuilder()
                .setField(dataField, data.toBuilder().setField(pointsField, kept).build()).build()));
        return out;
    }
}
