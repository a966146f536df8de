package io.telemetrybridge.otlp;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.telemetrybridge.model.KeyedRecord;
import io.telemetrybridge.model.Signal;
import java.io.IOException;
import java.util.List;

/** The {@code json} encoding: one seed-shaped JSON record per span, data point or log record. */
final class JsonRecordsEncoding implements OtlpEncoding {

    @Override
    public String name() {
        return "json";
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public List<KeyedRecord> encode(Signal signal, Message request) throws IOException {
        return switch (signal) {
            case TRACES -> SpanRecords.encode((ExportTraceServiceRequest) request);
            case METRICS -> MetricRecords.encode((ExportMetricsServiceRequest) request);
            case LOGS -> LogRecords.encode((ExportLogsServiceRequest) request);
        };
    }
}
