package io.telemetrybridge.otlp;

import com.fasterxml.jackson.core.SerializableString;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.telemetrybridge.kafka.RecordKeys;
import io.telemetrybridge.model.KeyedRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * OTLP spans to JSON records, one per span, keyed by trace id (hex), in the seed's TraceData shape plus what
 * OTLP carries beyond it (docs/kafka-records.md). Span kind UNSPECIFIED is written as {@code Internal}, the
 * kind the OpenTelemetry API defaults to; status codes map to {@code Unset}, {@code Ok}, {@code Error}.
 * Source: opentelemetry-proto trace/v1/trace.proto; docs/seed-api.md, "Items" (TraceData.)
 */
final class SpanRecords {

    private SpanRecords() {}

    static List<KeyedRecord> encode(ExportTraceServiceRequest request) throws IOException {
        List<KeyedRecord> records = new ArrayList<>();
        JsonOut out = JsonOut.ofThread();
        // A request's spans mostly come in runs of one trace: its key is made once per run.
        ByteString traceId = null;
        String key = null;
        for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                SerializableString context = out.context(rs.getResource(), rs.getSchemaUrl(), ss.getScope(),
                        ss.getSchemaUrl());
                for (Span span : ss.getSpansList()) {
                    write(out, span);
                    out.closeWith(context);
                    if (!span.getTraceId().equals(traceId)) {
                        traceId = span.getTraceId();
                        key = RecordKeys.trace(traceId);
                    }
                    records.add(new KeyedRecord(key, out.next()));
                }
            }
        }
        return records;
    }

    private static void write(JsonOut out, Span s) throws IOException {
        var g = out.g;
        g.writeStartObject();
        out.hex("trace_id", s.getTraceId());
        out.hex("span_id", s.getSpanId());
        out.hex("parent_span_id", s.getParentSpanId());
        out.string("name", s.getName());
        out.string("kind", kind(s.getKind()));
        out.time("start_time", s.getStartTimeUnixNano());
        out.time("end_time", s.getEndTimeUnixNano());
        if (s.getStartTimeUnixNano() != 0 && s.getEndTimeUnixNano() != 0
                && Long.compareUnsigned(s.getEndTimeUnixNano(), s.getStartTimeUnixNano()) >= 0) {
            out.unsigned("duration_ns", s.getEndTimeUnixNano() - s.getStartTimeUnixNano());
        } else {
            // Unknown, or a span that ends before it starts: no duration rather than a negative one.
            out.name("duration_ns");
            g.writeNull();
        }
        out.name("status");
        g.writeStartObject();
        out.string("code", statusCode(s.getStatus().getCode()));
        out.text("message", s.getStatus().getMessage());
        g.writeEndObject();
        out.attributes("attributes", s.getAttributesList());
        out.name("events");
        g.writeStartArray();
        for (Span.Event e : s.getEventsList()) {
            g.writeStartObject();
            out.string("name", e.getName());
            out.time("timestamp", e.getTimeUnixNano());
            out.attributes("attributes", e.getAttributesList());
            out.unsigned("time_unix_nano", e.getTimeUnixNano());
            out.uint32("dropped_attributes_count", e.getDroppedAttributesCount());
            g.writeEndObject();
        }
        g.writeEndArray();
        out.name("links");
        g.writeStartArray();
        for (Span.Link l : s.getLinksList()) {
            g.writeStartObject();
            out.hex("trace_id", l.getTraceId());
            out.hex("span_id", l.getSpanId());
            out.attributes("attributes", l.getAttributesList());
            out.text("trace_state", l.getTraceState());
            out.uint32("flags", l.getFlags());
            out.uint32("dropped_attributes_count", l.getDroppedAttributesCount());
            g.writeEndObject();
        }
        g.writeEndArray();
        // Beyond the seed's TraceData:
        out.unsigned("start_time_unix_nano", s.getStartTimeUnixNano());
        out.unsigned("end_time_unix_nano", s.getEndTimeUnixNano());
        out.text("trace_state", s.getTraceState());
        out.uint32("flags", s.getFlags());
        out.uint32("dropped_attributes_count", s.getDroppedAttributesCount());
        out.uint32("dropped_events_count", s.getDroppedEventsCount());
        out.uint32("dropped_links_count", s.getDroppedLinksCount());
    }

    static String kind(Span.SpanKind kind) {
        return switch (kind) {
            case SPAN_KIND_SERVER -> "Server";
            case SPAN_KIND_CLIENT -> "Client";
            case SPAN_KIND_PRODUCER -> "Producer";
            case SPAN_KIND_CONSUMER -> "Consumer";
            default -> "Internal";
        };
    }

    static String statusCode(Status.StatusCode code) {
        return switch (code) {
            case STATUS_CODE_OK -> "Ok";
            case STATUS_CODE_ERROR -> "Error";
            default -> "Unset";
        };
    }
}
