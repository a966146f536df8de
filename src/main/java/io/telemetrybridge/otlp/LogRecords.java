package io.telemetrybridge.otlp;

import com.fasterxml.jackson.core.SerializableString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.telemetrybridge.kafka.RecordKeys;
import io.telemetrybridge.model.KeyedRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * OTLP log records to JSON records, one per log record, keyed by resource identity (so one service's logs keep
 * their order), in the seed's LogData shape plus what OTLP carries beyond it. {@code level} comes from
 * {@code severity_number} by the OpenTelemetry ranges (1–4 Trace, 5–8 Debug, 9–12 Info, 13–16 Warn, 17–20
 * Error, 21–24 Fatal), else from {@code severity_text}, else Info. {@code message} is the body as text (a string
 * body as it is, any other body as JSON); {@code body} is the body as plain JSON of any AnyValue type.
 * {@code timestamp} is {@code time_unix_nano}, or the observed time when the event time is unset.
 * Source: opentelemetry-proto logs/v1/logs.proto, OpenTelemetry logs data model; docs/seed-api.md, "Items" (LogData.)
 */
final class LogRecords {

    private LogRecords() {}

    static List<KeyedRecord> encode(ExportLogsServiceRequest request) throws IOException {
        List<KeyedRecord> records = new ArrayList<>();
        JsonOut out = JsonOut.ofThread();
        for (ResourceLogs rl : request.getResourceLogsList()) {
            String key = RecordKeys.resource(rl.getResource());
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                SerializableString context = out.context(rl.getResource(), rl.getSchemaUrl(), sl.getScope(),
                        sl.getSchemaUrl());
                for (LogRecord log : sl.getLogRecordsList()) {
                    write(out, log);
                    out.closeWith(context);
                    records.add(new KeyedRecord(key, out.next()));
                }
            }
        }
        return records;
    }

    private static void write(JsonOut out, LogRecord log) throws IOException {
        var g = out.g;
        long time = log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
        int severity = log.getSeverityNumberValue();
        g.writeStartObject();
        out.time("timestamp", time);
        out.string("level", level(severity, log.getSeverityText()));
        AnyValue body = log.getBody();
        out.string("message", body.hasStringValue() ? body.getStringValue()
                : body.getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET
                        // A profiles string-table index: absent outside profiles (JsonOut.attributeText).
                        || body.getValueCase() == AnyValue.ValueCase.STRING_VALUE_STRINDEX ? ""
                        : JsonOut.naturalJson(body));
        out.attributes("attributes", log.getAttributesList());
        out.natural("body", body);
        if (severity != 0) {
            out.name("severity_number");
            g.writeNumber(severity);
        } else {
            out.name("severity_number");
            g.writeNull();
        }
        out.text("severity_text", log.getSeverityText());
        // Beyond the seed's LogData:
        out.unsigned("time_unix_nano", log.getTimeUnixNano());
        out.time("observed_timestamp", log.getObservedTimeUnixNano());
        out.unsigned("observed_time_unix_nano", log.getObservedTimeUnixNano());
        out.hex("trace_id", log.getTraceId());
        out.hex("span_id", log.getSpanId());
        out.uint32("flags", log.getFlags());
        out.text("event_name", log.getEventName());
        out.uint32("dropped_attributes_count", log.getDroppedAttributesCount());
    }

    static String level(int severityNumber, String severityText) {
        if (severityNumber >= 1 && severityNumber <= 24) {
            return switch ((severityNumber - 1) / 4) {
                case 0 -> "Trace";
                case 1 -> "Debug";
                case 2 -> "Info";
                case 3 -> "Warn";
                case 4 -> "Error";
                default -> "Fatal";
            };
        }
        String t = severityText == null ? "" : severityText.trim().toUpperCase(Locale.ROOT);
        if (t.startsWith("TRACE")) {
            return "Trace";
        }
        if (t.startsWith("DEBUG")) {
            return "Debug";
        }
        if (t.startsWith("WARN")) {
            return "Warn";
        }
        if (t.startsWith("ERR")) {
            return "Error";
        }
        if (t.startsWith("FATAL") || t.startsWith("CRIT")) {
            return "Fatal";
        }
        return "Info";
    }
}
