package io.telemetrybridge.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.internal.HttpExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real, unmodified OpenTelemetry Java SDK exporting spans, metrics and logs to the running bridge over
 * http/protobuf and http/json, with and without gzip; what lands on Kafka is checked field by field.
 */
@ExtendWith(KafkaBroker.class)
class OpenTelemetrySdkTest {

    private static RunningBridge bridge;

    @BeforeAll
    static void start() {
        bridge = RunningBridge.start();
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @ParameterizedTest(name = "json={0} compression={1}")
    @CsvSource({"false, none", "false, gzip", "true, none", "true, gzip"})
    void sdkExportsAllThreeSignalsAndTheRecordsAreCorrect(boolean json, String compression) throws Exception {
        String service = "sdk-" + (json ? "json" : "proto") + "-" + compression;
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), service)));
        String endpoint = bridge.uri("").toString();

        OtlpHttpSpanExporterBuilder spans = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint + "/v1/traces").setCompression(compression);
        OtlpHttpMetricExporterBuilder metrics = OtlpHttpMetricExporter.builder()
                .setEndpoint(endpoint + "/v1/metrics").setCompression(compression);
        OtlpHttpLogRecordExporterBuilder logs = OtlpHttpLogRecordExporter.builder()
                .setEndpoint(endpoint + "/v1/logs").setCompression(compression);
        if (json) {
            asJson(spans);
            asJson(metrics);
            asJson(logs);
        }

        Instant start = Instant.parse("2025-03-01T10:00:00.123456789Z");
        String traceId;
        try (SdkTracerProvider tracer = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(SimpleSpanProcessor.create(spans.build())).build()) {
            Span span = tracer.get("sdk-test", "1.2.3").spanBuilder("checkout").setSpanKind(SpanKind.SERVER)
                    .setStartTimestamp(start).setAttribute("http.status_code", 503L)
                    .setAttribute(AttributeKey.stringArrayKey("tags"), List.of("a", "b"))
                    .setAttribute("ratio", 0.25).setAttribute("cached", false).startSpan();
            span.addEvent("retry", Attributes.of(AttributeKey.longKey("attempt"), 2L), start.plusMillis(5));
            span.setStatus(StatusCode.ERROR, "upstream down");
            traceId = span.getSpanContext().getTraceId();
            span.end(start.plusMillis(250));
            assertThat(tracer.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
        try (SdkMeterProvider meter = SdkMeterProvider.builder().setResource(resource)
                .registerMetricReader(PeriodicMetricReader.builder(metrics.build())
                        .setInterval(Duration.ofHours(1)).build()).build()) {
            meter.get("sdk-test").counterBuilder("orders").setUnit("1").build()
                    .add(42, Attributes.of(AttributeKey.stringKey("region"), "eu"));
            meter.get("sdk-test").histogramBuilder("latency").setUnit("ms").build()
                    .record(12.5, Attributes.of(AttributeKey.stringKey("route"), "/a"));
            CompletableResultCode flushed = meter.forceFlush().join(10, TimeUnit.SECONDS);
            assertThat(flushed.isSuccess()).isTrue();
        }
        try (SdkLoggerProvider logger = SdkLoggerProvider.builder().setResource(resource)
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(logs.build())).build()) {
            logger.get("sdk-test").logRecordBuilder().setSeverity(Severity.WARN2).setSeverityText("WARN")
                    .setBody("disk almost full").setAttribute(AttributeKey.longKey("free.mb"), 512L)
                    .setTimestamp(start).emit();
            assertThat(logger.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }

        JsonNode span = Topics.readAll(bridge.topic("traces")).stream().filter(r -> traceId.equals(r.key()))
                .map(r -> Json.tree(r.value())).findFirst().orElseThrow();
        assertThat(span.get("name").textValue()).isEqualTo("checkout");
        assertThat(span.get("kind").textValue()).isEqualTo("Server");
        assertThat(span.get("trace_id").textValue()).isEqualTo(traceId);
        assertThat(span.get("start_time").textValue()).isEqualTo("2025-03-01T10:00:00.123456789Z");
        assertThat(span.get("duration_ns").asLong()).isEqualTo(250_000_000L);
        assertThat(span.get("status").get("code").textValue()).isEqualTo("Error");
        assertThat(span.get("status").get("message").textValue()).isEqualTo("upstream down");
        assertThat(span.get("attributes").get("http.status_code").textValue()).isEqualTo("503");
        assertThat(span.get("attributes").get("tags").textValue()).isEqualTo("[\"a\",\"b\"]");
        assertThat(span.get("attributes").get("ratio").textValue()).isEqualTo("0.25");
        assertThat(span.get("attributes").get("cached").textValue()).isEqualTo("false");
        assertThat(span.get("events").get(0).get("name").textValue()).isEqualTo("retry");
        assertThat(span.get("events").get(0).get("attributes").get("attempt").textValue()).isEqualTo("2");
        assertThat(span.get("service_name").textValue()).isEqualTo(service);
        assertThat(span.get("scope").get("name").textValue()).isEqualTo("sdk-test");
        assertThat(span.get("scope").get("version").textValue()).isEqualTo("1.2.3");
        assertThat(span.get("resource").get("attributes").get("telemetry.sdk.language").textValue()).isEqualTo("java");

        List<JsonNode> points = Topics.readAll(bridge.topic("metrics")).stream().filter(r -> service.equals(r.key()))
                .map(r -> Json.tree(r.value())).toList();
        assertThat(points).anySatisfy(p -> {
            assertThat(p.get("name").textValue()).isEqualTo("orders");
            assertThat(p.get("metric_type").textValue()).isEqualTo("Counter");
            assertThat(p.get("value").get("Counter").asDouble()).isEqualTo(42.0);
            assertThat(p.get("value_int").asLong()).isEqualTo(42);
            assertThat(p.get("labels").get("region").textValue()).isEqualTo("eu");
            assertThat(p.get("aggregation_temporality").textValue()).isEqualTo("cumulative");
            assertThat(p.get("start_time").isNull()).isFalse();
        });
        assertThat(points).anySatisfy(p -> {
            assertThat(p.get("name").textValue()).isEqualTo("latency");
            assertThat(p.get("metric_type").textValue()).isEqualTo("Histogram");
            assertThat(p.get("value").get("Histogram").get("count").asLong()).isEqualTo(1);
            assertThat(p.get("value").get("Histogram").get("sum").asDouble()).isEqualTo(12.5);
            assertThat(p.get("bucket_counts").size()).isEqualTo(p.get("explicit_bounds").size() + 1);
        });

        JsonNode log = Topics.readAll(bridge.topic("logs")).stream().filter(r -> service.equals(r.key()))
                .map(r -> Json.tree(r.value())).findFirst().orElseThrow();
        assertThat(log.get("message").textValue()).isEqualTo("disk almost full");
        assertThat(log.get("level").textValue()).isEqualTo("Warn");
        assertThat(log.get("severity_number").asInt()).isEqualTo(14);
        assertThat(log.get("severity_text").textValue()).isEqualTo("WARN");
        assertThat(log.get("timestamp").textValue()).isEqualTo("2025-03-01T10:00:00.123456789Z");
        assertThat(log.get("attributes").get("free.mb").textValue()).isEqualTo("512");
    }

    /** The SDK's exporters speak OTLP/JSON through an internal switch of their builder. */
    private static void asJson(Object exporterBuilder) throws ReflectiveOperationException {
        var delegate = exporterBuilder.getClass().getDeclaredField("delegate");
        delegate.setAccessible(true);
        ((HttpExporterBuilder) delegate.get(exporterBuilder)).exportAsJson();
    }
}
