// Sends spans and log records to the bridge with the OpenTelemetry JS SDK's gRPC exporters (@grpc/grpc-js),
// configured the way users configure them: OTEL_EXPORTER_OTLP_ENDPOINT (and _COMPRESSION, _HEADERS).
// Usage: node send.mjs SERVICE_NAME SPANS LOGS. Prints one JSON line with the trace ids and the export results;
// exits 1 when an export did not succeed.
import { trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';

const [service, spanCount, logCount] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const results = [];

// Keeps each export's result code (0 = SUCCESS), which the processors do not report.
function recording(exporter, signal) {
  return {
    export(items, done) {
      exporter.export(items, (result) => {
        results.push({ signal, code: result.code, error: result.error ? String(result.error) : undefined });
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => (exporter.forceFlush ? exporter.forceFlush() : Promise.resolve()),
  };
}

const resource = resourceFromAttributes({ 'service.name': service });
const tracerProvider = new BasicTracerProvider({
  resource,
  spanProcessors: [new SimpleSpanProcessor(recording(new OTLPTraceExporter(), 'traces'))],
});
const loggerProvider = new LoggerProvider({
  resource,
  processors: [new SimpleLogRecordProcessor({ exporter: recording(new OTLPLogExporter(), 'logs') })],
});

const tracer = tracerProvider.getTracer('grpc-js-client', '1.0.0');
const traceIds = [];
for (let i = 0; i < spanCount; i++) {
  const span = tracer.startSpan(`js-span-${i}`, { attributes: { 'js.index': i } });
  traceIds.push(span.spanContext().traceId);
  span.end();
}
const logger = loggerProvider.getLogger('grpc-js-client', '1.0.0');
for (let i = 0; i < logCount; i++) {
  logger.emit({ body: `js-log-${i}`, severityNumber: 13, severityText: 'WARN', attributes: { 'js.index': i } });
}
await tracerProvider.forceFlush();
await loggerProvider.forceFlush();
await tracerProvider.shutdown();
await loggerProvider.shutdown();
trace.disable();

const failed = results.filter((r) => r.code !== 0);
console.log(JSON.stringify({ traceIds, exports: results.length, failed }));
process.exit(failed.length === 0 && results.length === spanCount + logCount ? 0 : 1);
