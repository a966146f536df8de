"""Sends a known number of spans, metric data points and log records to an OTLP endpoint with the
OpenTelemetry Python SDK's own exporters, then flushes and exits (0 when every export succeeded).

    python send.py PROTOCOL ENDPOINT SERVICE SPANS POINTS LOGS

PROTOCOL is grpc (the SDK's default) or http/protobuf; ENDPOINT is http://host:4317 (gRPC) or
http://host:4318 (HTTP; the per-signal paths /v1/traces, /v1/metrics, /v1/logs are added).
"""
import logging
import sys

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor

protocol, endpoint, service = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]
spans, points, logs = (int(n) for n in sys.argv[4:7])

if protocol == "grpc":
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
    from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter
    kwargs = lambda path: {"endpoint": endpoint, "insecure": True}
elif protocol == "http/protobuf":
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    kwargs = lambda path: {"endpoint": endpoint + path}
else:
    sys.exit("protocol must be grpc or http/protobuf, not " + protocol)

failures = []


def counted(exporter):
    """Wraps an exporter's export so that any result other than SUCCESS is remembered."""
    export = exporter.export

    def checked(batch, *args, **kw):
        result = export(batch, *args, **kw)
        if getattr(result, "name", str(result)) != "SUCCESS":
            failures.append(f"{type(exporter).__name__}: {result}")
        return result

    exporter.export = checked
    return exporter


resource = Resource.create({"service.name": service, "service.instance.id": service + "-1"})

tracer_provider = TracerProvider(resource=resource)
tracer_provider.add_span_processor(BatchSpanProcessor(counted(OTLPSpanExporter(**kwargs("/v1/traces")))))
tracer = tracer_provider.get_tracer("interop.python")
for i in range(spans):
    with tracer.start_as_current_span(f"span-{i}") as span:
        span.set_attribute("interop.index", i)

# One collection at shutdown: a counter with POINTS attribute sets is POINTS data points.
reader = PeriodicExportingMetricReader(counted(OTLPMetricExporter(**kwargs("/v1/metrics"))), export_interval_millis=3_600_000)
meter_provider = MeterProvider(resource=resource, metric_readers=[reader])
counter = meter_provider.get_meter("interop.python").create_counter("interop.requests")
for i in range(points):
    counter.add(1, {"interop.index": i})

logger_provider = LoggerProvider(resource=resource)
logger_provider.add_log_record_processor(BatchLogRecordProcessor(counted(OTLPLogExporter(**kwargs("/v1/logs")))))
log = logging.getLogger("interop.python")
log.propagate = False
log.addHandler(LoggingHandler(level=logging.INFO, logger_provider=logger_provider))
log.setLevel(logging.INFO)
for i in range(logs):
    log.info("log record %d", i)

tracer_provider.shutdown()
meter_provider.shutdown()
logger_provider.shutdown()
if failures:
    sys.exit("exports failed: " + "; ".join(failures))
print(f"sent {spans} spans, {points} data points, {logs} log records over {protocol} to {endpoint}")
