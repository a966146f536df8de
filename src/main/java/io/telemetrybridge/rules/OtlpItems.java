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
import java.util.List;

/**
 * Walks a valid OTLP export request item by item (spans, metric data points, log records) and builds the
 * request that is left: items a {@link Visitor} does not keep are left out (and scopes, metrics and resources
 * left empty by that), attribute lists are rewritten by it. Resource and scope fields other than attributes are
 * kept as they are.
 */
final class OtlpItems {

    /** What to do with each item; {@code view} shows the item being decided. */
    interface Visitor {
        /** The resource's attributes as they are to be written (the list itself when unchanged). */
        List<KeyValue> resource(List<KeyValue> attributes);

        boolean keep(OtlpView view);

        /** The item's (or its events' and links') attributes as they are to be written. */
        List<KeyValue> attributes(List<KeyValue> attributes);
    }

    private OtlpItems() {}

    static Message walk(Signal signal, Message request, OtlpView view, Visitor v) {
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

    private static ExportTraceServiceRequest traces(ExportTraceServiceRequest req, OtlpView view, Visitor v) {
        ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
        for (ResourceSpans rs : req.getResourceSpansList()) {
            ResourceSpans.Builder rb = rs.toBuilder().clearScopeSpans().setResource(resource(rs.getResource(), view, v));
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                view.scope = ss.getScope().getName();
                ScopeSpans.Builder sb = ss.toBuilder().clearSpans();
                for (Span span : ss.getSpansList()) {
                    view.attributes = span.getAttributesList();
                    view.name = span.getName();
                    view.severity = 0;
                    if (v.keep(view)) {
                        sb.addSpans(span(span, v));
                    }
                }
                if (sb.getSpansCount() > 0) {
                    rb.addScopeSpans(sb);
                }
            }
            if (rb.getScopeSpansCount() > 0) {
                out.addResourceSpans(rb);
            }
        }
        return out.build();
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

    private static ExportLogsServiceRequest logs(ExportLogsServiceRequest req, OtlpView view, Visitor v) {
        ExportLogsServiceRequest.Builder out = ExportLogsServiceRequest.newBuilder();
        for (ResourceLogs rl : req.getResourceLogsList()) {
            ResourceLogs.Builder rb = rl.toBuilder().clearScopeLogs().setResource(resource(rl.getResource(), view, v));
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                view.scope = sl.getScope().getName();
                ScopeLogs.Builder sb = sl.toBuilder().clearLogRecords();
                for (LogRecord log : sl.getLogRecordsList()) {
                    view.attributes = log.getAttributesList();
                    view.name = log.getEventName();
                    view.severity = log.getSeverityNumberValue();
                    if (v.keep(view)) {
                        List<KeyValue> a = v.attributes(log.getAttributesList());
                        sb.addLogRecords(a == log.getAttributesList() ? log
                                : log.toBuilder().clearAttributes().addAllAttributes(a).build());
                    }
                }
                if (sb.getLogRecordsCount() > 0) {
                    rb.addScopeLogs(sb);
                }
            }
            if (rb.getScopeLogsCount() > 0) {
                out.addResourceLogs(rb);
            }
        }
        return out.build();
    }

    private static ExportMetricsServiceRequest metrics(ExportMetricsServiceRequest req, OtlpView view, Visitor v) {
        ExportMetricsServiceRequest.Builder out = ExportMetricsServiceRequest.newBuilder();
        for (ResourceMetrics rm : req.getResourceMetricsList()) {
            ResourceMetrics.Builder rb = rm.toBuilder().clearScopeMetrics()
                    .setResource(resource(rm.getResource(), view, v));
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                view.scope = sm.getScope().getName();
                ScopeMetrics.Builder sb = sm.toBuilder().clearMetrics();
                for (Metric metric : sm.getMetricsList()) {
                    view.name = metric.getName();
                    view.severity = 0;
                    Metric kept = points(metric, view, v);
                    if (kept != null) {
                        sb.addMetrics(kept);
                    }
                }
                if (sb.getMetricsCount() > 0) {
                    rb.addScopeMetrics(sb);
                }
            }
            if (rb.getScopeMetricsCount() > 0) {
                out.addResourceMetrics(rb);
            }
        }
        return out.build();
    }

    /**
     * The metric with the data points that are kept (attributes rewritten), or null when none is. Every data
     * point type has {@code attributes} and its container {@code data_points}, so one walk serves gauge, sum,
     * histogram, exponential histogram and summary. A metric without data is decided once, as one item.
     */
    @SuppressWarnings("unchecked")
    private static Metric points(Metric metric, OtlpView view, Visitor v) {
        FieldDescriptor dataField = metric.getOneofFieldDescriptor(Metric.getDescriptor().getOneofs().get(0));
        if (dataField == null) {
            view.attributes = List.of();
            return v.keep(view) ? metric : null;
        }
        Message data = (Message) metric.getField(dataField);
        FieldDescriptor pointsField = data.getDescriptorForType().findFieldByName("data_points");
        List<Message> points = (List<Message>) data.getField(pointsField);
        List<Message> kept = new ArrayList<>(points.size());
        boolean changed = false;
        for (Message p : points) {
            FieldDescriptor attrField = p.getDescriptorForType().findFieldByName("attributes");
            List<KeyValue> attrs = (List<KeyValue>) p.getField(attrField);
            view.attributes = attrs;
            if (!v.keep(view)) {
                changed = true;
                continue;
            }
            List<KeyValue> a = v.attributes(attrs);
            if (a != attrs) {
                changed = true;
                kept.add(p.toBuilder().setField(attrField, a).build());
            } else {
                kept.add(p);
            }
        }
        if (!changed) {
            return metric;
        }
        if (kept.isEmpty()) {
            return null;
        }
        return metric.toBuilder().setField(dataField, data.toBuilder().setField(pointsField, kept).build()).build();
    }
}
