import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load and query generator of the query benchmark (bench/query.sh). Trace ids are a function of the trace's
 * number, so the lookups can name traces that were loaded without remembering them.
 *
 * <pre>
 *   load-traces BASE_URL SPANS CONNECTIONS   OTLP/protobuf requests of 100 spans (10 traces of 10 spans)
 *   load-logs   BASE_URL LOGS CONNECTIONS     OTLP/protobuf requests of 100 log records, 1% with bench.hit=true
 *   trace-by-id BASE_URL TRACES SAMPLES       GET /api/v1/traces/{id} for SAMPLES random traces of the first TRACES
 *   scan        BASE_URL FROM TO              POST /api/v1/query/logs over [FROM, TO) with the 1% filter
 * </pre>
 */
public class QueryLoad {

    static final int PER_REQUEST = 100;
    static final int SPANS_PER_TRACE = 10;
    static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String base = args[1];
        switch (args[0]) {
            case "load-traces" -> load(base + "/v1/traces", Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    QueryLoad::traces);
            case "load-logs" -> load(base + "/v1/logs", Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    QueryLoad::logs);
            case "trace-by-id" -> traceById(base, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "scan" -> scan(base, args[2], args[3]);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    interface Body {
        byte[] request(int number);
    }

    /** Posts {@code records / 100} requests from {@code connections} threads; request n is body(n). */
    static void load(String url, int records, int connections, Body body) throws Exception {
        int requests = records / PER_REQUEST;
        AtomicInteger next = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        long started = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int n = next.getAndIncrement(); n < requests; n = next.getAndIncrement()) {
                    byte[] b = body.request(n);
                    for (int attempt = 0; ; attempt++) {
                        try {
                            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(url))
                                    .header("Content-Type", "application/x-protobuf").timeout(Duration.ofSeconds(60))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(b)).build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            if (r.statusCode() == 200) {
                                break;
                            }
                        } catch (Exception e) {
                            // retried below
                        }
                        if (attempt == 5) {
                            failed.incrementAndGet();
                            break;
                        }
                        sleep(500);
                    }
                }
            });
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        double s = (System.nanoTime() - started) / 1e9;
        System.out.printf("loaded %d records in %.1f s (%.0f records/s), failed requests %d%n",
                (long) requests * PER_REQUEST, s, requests * PER_REQUEST / s, failed.get());
    }

    static byte[] traces(int n) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < PER_REQUEST; i++) {
            int trace = n * (PER_REQUEST / SPANS_PER_TRACE) + i / SPANS_PER_TRACE;
            scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(traceId(trace)))
                    .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(mix(n * 1000L + i) | 1).array()))
                    .setName("GET /api/orders/{id}").setKind(Span.SpanKind.SPAN_KIND_SERVER)
                    .setStartTimeUnixNano(now + i).setEndTimeUnixNano(now + i + 1_500_000)
                    .addAttributes(attr("http.request.method", "GET"))
                    .addAttributes(attr("url.path", "/api/orders/" + (n * 31 + i) % 100000))
                    .addAttributes(attr("http.route", "/api/orders/{id}"))
                    .addAttributes(attr("server.address", "orders.internal")));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "orders")))
                .addScopeSpans(scope)).build().toByteArray();
    }

    static byte[] logs(int n) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < PER_REQUEST; i++) {
            LogRecord.Builder log = LogRecord.newBuilder().setTimeUnixNano(now + i)
                    .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO).setSeverityText("INFO")
                    .setBody(AnyValue.newBuilder().setStringValue("order " + (n * PER_REQUEST + i) + " placed"))
                    .addAttributes(attr("http.route", "/api/orders/{id}"));
            // One record in a hundred matches the query's filter.
            log.addAttributes(attr("bench.hit", i == 42 ? "true" : "false"));
            scope.addLogRecords(log);
        }
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "orders")))
                .addScopeLogs(scope)).build().toByteArray();
    }

    static void traceById(String base, int traces, int samples) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Random random = new Random(1);
        long[] latencies = new long[samples];
        int wrong = 0;
        for (int i = -50; i < samples; i++) {
            int trace = random.nextInt(traces);
            String id = hex(traceId(trace));
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/traces/" + id))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - t0;
            JsonNode data = JSON.readTree(r.body()).path("data");
            boolean right = r.statusCode() == 200 && data.size() == SPANS_PER_TRACE
                    && data.get(0).get("trace_id").asText().equals(id);
            if (i >= 0) {
                // The first 50 lookups warm the JIT and the consumers up and are not counted.
                latencies[i] = took;
                wrong += right ? 0 : 1;
            }
        }
        Arrays.sort(latencies);
        System.out.printf("trace by id: %d lookups, p50 %.1f ms, p99 %.1f ms, max %.1f ms, wrong answers %d%n",
                samples, pct(latencies, 50), pct(latencies, 99), latencies[samples - 1] / 1e6, wrong);
    }

    static void scan(String base, String from, String to) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = "{\"time_range\": {\"start\": \"" + from + "\", \"end\": \"" + to + "\"}, \"filters\": ["
                + "{\"field\": \"attributes.bench.hit\", \"operator\": \"Equals\", \"value\": {\"String\": \"true\"}}],"
                + " \"limit\": 100}";
        for (int run = 0; run < 4; run++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query/logs"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            double s = (System.nanoTime() - t0) / 1e9;
            JsonNode result = JSON.readTree(r.body());
            long scanned = result.path("metadata").path("records_scanned").asLong();
            System.out.printf("log scan run %d: status %s, %d records scanned in %.2f s = %.0f records/s, "
                            + "%s matches%n", run + 1, result.path("status").asText(), scanned, s, scanned / s,
                    result.path("metadata").path("total_matches").asText());
        }
    }

    static byte[] traceId(int trace) {
        return ByteBuffer.allocate(16).putLong(mix(trace)).putLong(mix(~trace)).array();
    }

    /** SplitMix64's finaliser: distinct inputs give well-spread, distinct outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
