// Command sendotlp sends a known number of spans, metric data points and log records over
// OTLP, with the OpenTelemetry Go SDK's own exporters, to an OTLP receiver (here: the
// interop Collector's). It stands in for telemetrygen, whose v0.165.x release the Go module
// proxy does not serve.
//
// Each signal is sent through its SDK provider and flushed by shutting the provider down,
// so each item is exported exactly once:
//   - spans: groups of up to 5 spans (one root, its children) per trace;
//   - metric data points: one reader collection at shutdown; the points are spread over an
//     int64 counter, a float64 gauge and a float64 histogram, one point per distinct
//     attribute set ("point" = 0, 1, ...), so each attribute set is one data point;
//   - log records: one record each, with a string body and an INFO severity.
//
// It exits non-zero when an exporter reports an error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploggrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/metric"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

func main() {
	endpoint := flag.String("endpoint", "127.0.0.1:4317", "OTLP receiver, host:port")
	protocol := flag.String("protocol", "grpc", "grpc or http (http/protobuf)")
	service := flag.String("service", "sendotlp", "service.name of the resource")
	spans := flag.Int("spans", 100, "spans to send")
	points := flag.Int("points", 30, "metric data points to send")
	logs := flag.Int("logs", 100, "log records to send")
	timeout := flag.Duration("timeout", 30*time.Second, "bound of each flush")
	flag.Parse()
	if *protocol != "grpc" && *protocol != "http" {
		fail(fmt.Errorf("-protocol must be grpc or http, not %q", *protocol))
	}

	res, err := resource.Merge(resource.Empty(), resource.NewWithAttributes(semconv.SchemaURL,
		semconv.ServiceName(*service),
		attribute.String("interop.sender", "sendotlp"),
	))
	if err != nil {
		fail(err)
	}
	ctx := context.Background()

	var errs []error
	if *spans > 0 {
		errs = append(errs, sendSpans(ctx, *endpoint, *protocol, res, *spans, *timeout))
	}
	if *points > 0 {
		errs = append(errs, sendPoints(ctx, *endpoint, *protocol, res, *points, *timeout))
	}
	if *logs > 0 {
		errs = append(errs, sendLogs(ctx, *endpoint, *protocol, res, *logs, *timeout))
	}
	if err := errors.Join(errs...); err != nil {
		fail(err)
	}
	fmt.Printf("sendotlp: sent %d spans, %d metric data points, %d log records to %s over %s as service %q\n",
		*spans, *points, *logs, *endpoint, *protocol, *service)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "sendotlp:", err)
	os.Exit(1)
}

func sendSpans(ctx context.Context, endpoint, protocol string, res *resource.Resource, n int, timeout time.Duration) error {
	var exp sdktrace.SpanExporter
	var err error
	if protocol == "grpc" {
		exp, err = otlptracegrpc.New(ctx, otlptracegrpc.WithEndpoint(endpoint), otlptracegrpc.WithInsecure())
	} else {
		exp, err = otlptracehttp.New(ctx, otlptracehttp.WithEndpoint(endpoint), otlptracehttp.WithInsecure())
	}
	if err != nil {
		return fmt.Errorf("trace exporter: %w", err)
	}
	// The batch span processor drops spans once its queue (2048) is full; keep it larger than n.
	tp := sdktrace.NewTracerProvider(sdktrace.WithResource(res),
		sdktrace.WithBatcher(exp, sdktrace.WithMaxQueueSize(n+1)))
	tracer := tp.Tracer("interop/sendotlp")
	for sent := 0; sent < n; {
		rootCtx, root := tracer.Start(ctx, "interop-root", trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.Int("span.index", sent)))
		sent++
		for c := 0; c < 4 && sent < n; c++ {
			_, child := tracer.Start(rootCtx, "interop-child", trace.WithSpanKind(trace.SpanKindClient),
				trace.WithAttributes(attribute.Int("span.index", sent)))
			child.AddEvent("interop-event")
			child.End()
			sent++
		}
		root.End()
	}
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := tp.Shutdown(sctx); err != nil {
		return fmt.Errorf("spans: %w", err)
	}
	return nil
}

func sendPoints(ctx context.Context, endpoint, protocol string, res *resource.Resource, n int, timeout time.Duration) error {
	var exp sdkmetric.Exporter
	var err error
	if protocol == "grpc" {
		exp, err = otlpmetricgrpc.New(ctx, otlpmetricgrpc.WithEndpoint(endpoint), otlpmetricgrpc.WithInsecure())
	} else {
		exp, err = otlpmetrichttp.New(ctx, otlpmetrichttp.WithEndpoint(endpoint), otlpmetrichttp.WithInsecure())
	}
	if err != nil {
		return fmt.Errorf("metric exporter: %w", err)
	}
	// A reader that never fires on its own: the only collection is the one at shutdown.
	reader := sdkmetric.NewPeriodicReader(exp, sdkmetric.WithInterval(24*time.Hour))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithResource(res), sdkmetric.WithReader(reader))
	meter := mp.Meter("interop/sendotlp")
	counter, err := meter.Int64Counter("interop.requests")
	if err != nil {
		return err
	}
	gauge, err := meter.Float64Gauge("interop.temperature")
	if err != nil {
		return err
	}
	histogram, err := meter.Float64Histogram("interop.latency", metric.WithUnit("ms"))
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		attrs := metric.WithAttributes(attribute.Int("point", i))
		switch i % 3 {
		case 0:
			counter.Add(ctx, int64(i+1), attrs)
		case 1:
			gauge.Record(ctx, float64(i)+0.5, attrs)
		default:
			histogram.Record(ctx, float64(i), attrs)
		}
	}
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := mp.Shutdown(sctx); err != nil {
		return fmt.Errorf("metric data points: %w", err)
	}
	return nil
}

func sendLogs(ctx context.Context, endpoint, protocol string, res *resource.Resource, n int, timeout time.Duration) error {
	var exp sdklog.Exporter
	var err error
	if protocol == "grpc" {
		exp, err = otlploggrpc.New(ctx, otlploggrpc.WithEndpoint(endpoint), otlploggrpc.WithInsecure())
	} else {
		exp, err = otlploghttp.New(ctx, otlploghttp.WithEndpoint(endpoint), otlploghttp.WithInsecure())
	}
	if err != nil {
		return fmt.Errorf("log exporter: %w", err)
	}
	// As for spans: a queue larger than n, so nothing is dropped before the flush.
	lp := sdklog.NewLoggerProvider(sdklog.WithResource(res),
		sdklog.WithProcessor(sdklog.NewBatchProcessor(exp, sdklog.WithMaxQueueSize(n+1))))
	logger := lp.Logger("interop/sendotlp")
	for i := 0; i < n; i++ {
		var r otellog.Record
		now := time.Now()
		r.SetTimestamp(now)
		r.SetObservedTimestamp(now)
		r.SetSeverity(otellog.SeverityInfo)
		r.SetSeverityText("INFO")
		r.SetBody(attribute.StringValue(fmt.Sprintf("interop log record %d", i)))
		r.AddAttributes(attribute.Int("log.index", i))
		logger.Emit(ctx, r)
	}
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := lp.Shutdown(sctx); err != nil {
		return fmt.Errorf("log records: %w", err)
	}
	return nil
}
