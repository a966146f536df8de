import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.telemetrybridge.otlp.OtlpJsonWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Load generator of the benchmark (bench/run.sh): posts OTLP trace export requests of 100 spans (about 300
 * bytes each in protobuf) to a running bridge from N concurrent connections for a fixed time, and prints one
 * result line: records acknowledged by Kafka (topic end offsets before and after), 2xx answers, latency
 * percentiles, and the bridge process's CPU time and peak RSS read from /proc.
 *
 * With ENCODING grpc it calls TraceService/Export with the protobuf requests instead (URL grpc://host:port), one
 * grpc-java channel (one HTTP/2 connection) per client.
 *
 * Usage: java -cp telemetry-bridge.jar bench/OtlpLoad.java URL ENCODING(proto|json|grpc) CONNECTIONS SECONDS
 *        BOOTSTRAP TOPIC BRIDGE_PID
 */
public class OtlpLoad {

    static final int SPANS_PER_REQUEST = 100;

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--end-offsets")) {
            // For bench/file.sh: records ever written to a topic.
            System.out.println(endOffsets(args[1], args[2]));
            return;
        }
        if (args[0].equals("--sizes")) {
            ExportTraceServiceRequest r = request(new Random(42));
            System.out.printf("protobuf: %d bytes per request, %.0f per span; OTLP/JSON: %d bytes per request%n",
                    r.getSerializedSize(), r.getSerializedSize() / (double) SPANS_PER_REQUEST,
                    OtlpJsonWriter.write(r).length);
            return;
        }
        if (args[0].equals("--codec")) {
            codec(Integer.parseInt(args[1]), Double.parseDouble(args[2]), args.length > 3 ? args[3] : "");
            return;
        }
        String url = args[0];
        boolean json = args[1].equals("json");
        boolean grpc = args[1].equals("grpc");
        int connections = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        String bootstrap = args[4];
        String topic = args[5];
        long pid = Long.parseLong(args[6]);

        List<byte[]> bodies = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 64; i++) {
            ExportTraceServiceRequest request = request(random);
            bodies.add(json ? OtlpJsonWriter.write(request) : request.toByteArray());
        }
        String contentType = json ? "application/json" : "application/x-protobuf";

        // Topic "-": Kafka is not asked (the spool benchmark runs with the broker stopped); records = 2xx x spans.
        boolean countOnKafka = !topic.equals("-");
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        // This JVM's own warm-up (JIT, heap sizing) is not the bridge's latency: in a fresh load generator the first
        // seconds had 20 ms G1 pauses and held half of the requests over 8 ms at one connection (2026-12-02). So
        // every client sends for CLIENT_WARM_SECONDS first, uncounted; the measured run starts when all have
        // finished their last warm-up request, so no record of the warm-up is counted on Kafka.
        long warmUntil = System.nanoTime() + Duration.ofSeconds(clientWarmSeconds()).toNanos();
        long[] window = new long[5]; // started, deadline (ns), offsets before, CPU ticks before, JIT ticks before
        java.util.concurrent.CyclicBarrier measured = new java.util.concurrent.CyclicBarrier(connections, () -> {
            window[2] = countOnKafka ? endOffsets(bootstrap, topic) : 0;
            try {
                window[3] = cpuTicks(pid);
                window[4] = compilerTicks(pid);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            window[0] = System.nanoTime();
            window[1] = window[0] + Duration.ofSeconds(seconds).toNanos();
        });
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            long[] mine = new long[2_000_000];
            latencies.add(mine);
            int worker = c;
            Thread t = new Thread(() -> {
                // One client per worker: one connection each (HTTP/1.1 keep-alive, or one gRPC channel).
                HttpClient client = grpc ? null : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                GrpcExport channel = grpc ? new GrpcExport(URI.create(url)) : null;
                int n = 0;
                try {
                    for (int i = 0; System.nanoTime() < warmUntil; i++) {
                        try {
                            send(client, channel, url, contentType, bodies.get((worker * 7 + i) % bodies.size()));
                        } catch (java.io.IOException e) {
                            // Counted in the measured run only.
                        }
                    }
                    measured.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                while (System.nanoTime() < window[1] && n < mine.length - 1) {
                    byte[] body = bodies.get((worker * 7 + n) % bodies.size());
                    long t0 = System.nanoTime();
                    try {
                        if (send(client, channel, url, contentType, body)) {
                            ok.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                    mine[++n] = System.nanoTime() - t0;
                    mine[0] = n;
                }
                if (channel != null) {
                    channel.close();
                }
            });
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        double elapsed = (System.nanoTime() - window[0]) / 1e9;
        long cpuAfter = cpuTicks(pid);
        long jitTicks = compilerTicks(pid) - window[4];
        long cpuBefore = window[3];
        // Acknowledged records are on the topic once the last answer came; allow a moment for end offsets.
        Thread.sleep(500);
        long records = countOnKafka ? endOffsets(bootstrap, topic) - window[2] : ok.get() * SPANS_PER_REQUEST;

        long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l, 1, (int) l[0] + 1)).sorted().toArray();
        double cpuMicros = (cpuAfter - cpuBefore) * (1_000_000.0 / 100); // /proc ticks are 1/100 s
        System.out.printf("%-5s conns=%-3d requests_2xx=%-7d failed=%-5d records_on_kafka=%-9d expected=%-9d "
                        + "records_per_s=%-9.0f p50_ms=%-7.2f p99_ms=%-7.2f cpu_us_per_record=%-6.2f jit_cpu=%.0f%%%n",
                args[1], connections, ok.get(), failed.get(), records, ok.get() * SPANS_PER_REQUEST,
                records / elapsed, percentile(all, 50), percentile(all, 99), cpuMicros / Math.max(1, records),
                100.0 * jitTicks / Math.max(1, cpuAfter - cpuBefore));
    }

    /** One pipeline of bench/codec.sh: its bodies, their media type, and the record encoding (null: none). */
    record Pipeline(String name, List<byte[]> bodies, String contentType, io.telemetrybridge.otlp.OtlpEncoding encoding) {}

    /**
     * For bench/codec.sh: the bridge's own steps for one request, in this thread, without HTTP or Kafka: decode
     * (OTLP/protobuf or OTLP/JSON) and validate, then encode (the record encodings json and otlp_proto), over the
     * benchmark's 64 requests. ROUNDS rounds of SECONDS each; per pipeline it prints nanoseconds per span, the
     * best and the median of the rounds after the first three (the JIT's). Only the pipelines whose name contains
     * {@code only} run (all for "").
     */
    static void codec(int rounds, double seconds, String only) throws Exception {
        Random random = new Random(42);
        List<byte[]> proto = new ArrayList<>();
        List<byte[]> json = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ExportTraceServiceRequest request = request(random);
            proto.add(request.toByteArray());
            json.add(OtlpJsonWriter.write(request));
        }
        String protobuf = "application/x-protobuf";
        var jsonRecords = io.telemetrybridge.otlp.OtlpEncoding.named("json");
        List<Pipeline> pipelines = List.of(
                new Pipeline("decode+validate proto", proto, protobuf, null),
                new Pipeline("decode+validate json", json, "application/json", null),
                new Pipeline("proto -> json records", proto, protobuf, jsonRecords),
                new Pipeline("json -> json records", json, "application/json", jsonRecords),
                new Pipeline("proto -> otlp_proto records", proto, protobuf,
                        io.telemetrybridge.otlp.OtlpEncoding.named("otlp_proto")));
        io.telemetrybridge.otlp.OtlpRequests requests = new io.telemetrybridge.otlp.OtlpRequests(64, 64L << 20);
        io.telemetrybridge.model.Signal traces = io.telemetrybridge.model.Signal.TRACES;
        long sink = 0;
        for (Pipeline p : pipelines.stream().filter(p -> p.name().contains(only)).toList()) {
            double[] perSpan = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                long spans = 0;
                long t0 = System.nanoTime();
                long end = t0 + (long) (seconds * 1e9);
                while (System.nanoTime() < end) {
                    for (byte[] body : p.bodies()) {
                        com.google.protobuf.Message m = requests.decode(traces, p.contentType(), null, body);
                        com.google.protobuf.Message valid = io.telemetrybridge.otlp.OtlpValidation.check(traces, m).request();
                        // Not valid.hashCode(): it walks the whole message (and decodes protobuf's lazy strings),
                        // about a tenth of "decode+validate json" in a profile, and is no step of the bridge's.
                        sink += p.encoding() == null ? System.identityHashCode(valid)
                                : p.encoding().encode(traces, valid).size();
                        spans += SPANS_PER_REQUEST;
                    }
                }
                perSpan[round] = (System.nanoTime() - t0) / (double) spans;
            }
            double[] steady = Arrays.copyOfRange(perSpan, Math.min(3, rounds - 1), rounds);
            Arrays.sort(steady);
            System.out.printf("%-28s ns_per_span best=%-6.0f median=%-6.0f rounds=%d%n", p.name(), steady[0],
                    steady[steady.length / 2], steady.length);
        }
        // Used, so that the JIT cannot leave the work out.
        if (sink == 42) {
            System.out.println();
        }
    }

    /** A plaintext grpc-java channel calling TraceService/Export with raw protobuf bytes. */
    static final class GrpcExport {
        static final io.grpc.MethodDescriptor.Marshaller<byte[]> BYTES = new io.grpc.MethodDescriptor.Marshaller<>() {
            public java.io.InputStream stream(byte[] value) {
                return new java.io.ByteArrayInputStream(value);
            }

            public byte[] parse(java.io.InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        static final io.grpc.MethodDescriptor<byte[], byte[]> EXPORT = io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();

        final io.grpc.ManagedChannel channel;

        GrpcExport(URI uri) {
            channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort())
                    .usePlaintext().build();
        }

        boolean export(byte[] request) {
            try {
                io.grpc.stub.ClientCalls.blockingUnaryCall(channel, EXPORT,
                        io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS), request);
                return true;
            } catch (io.grpc.StatusRuntimeException e) {
                return false;
            }
        }

        void close() {
            channel.shutdownNow();
        }
    }

    /** Seconds each client sends before the measured run (CLIENT_WARM_SECONDS, default 5). */
    static int clientWarmSeconds() {
        String v = System.getenv("CLIENT_WARM_SECONDS");
        return v == null || v.isBlank() ? 5 : Integer.parseInt(v);
    }

    /** One export: true on a 2xx (HTTP) or OK (gRPC); an I/O failure is thrown. */
    static boolean send(HttpClient client, GrpcExport channel, String url, String contentType, byte[] body)
            throws Exception {
        if (channel != null) {
            return channel.export(body);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode() / 100 == 2;
    }

    static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /** 100 spans of about 300 bytes each in the binary encoding. */
    static ExportTraceServiceRequest request(Random random) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        long now = System.currentTimeMillis() * 1_000_000L;
        byte[] traceId = new byte[16];
        for (int i = 0; i < SPANS_PER_REQUEST; i++) {
            if (i % 10 == 0) {
                random.nextBytes(traceId);
            }
            byte[] spanId = new byte[8];
            random.nextBytes(spanId);
            scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(traceId))
                    .setSpanId(ByteString.copyFrom(spanId)).setName("GET /api/orders/{id}")
                    .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(now + i)
                    .setEndTimeUnixNano(now + i + 1_500_000)
                    .addAttributes(attr("http.request.method", "GET"))
                    .addAttributes(attr("url.path", "/api/orders/" + random.nextInt(100000)))
                    .addAttributes(attr("http.route", "/api/orders/{id}"))
                    .addAttributes(attr("server.address", "orders.internal"))
                    .addAttributes(attr("user_agent.original", "bench/1.0"))
                    .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
                            .setValue(AnyValue.newBuilder().setIntValue(200))));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "orders"))
                        .addAttributes(attr("service.instance.id", "orders-7d9f")))
                .addScopeSpans(scope)).build();
    }

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static long endOffsets(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
    /**
     * CPU ticks of the process's JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre"): the share they take
     * of a run (jit_cpu) says whether the bridge was warm; 0 where /proc has no per-thread names.
     */
    static long compilerTicks(long pid) {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).matches("C[12] Compiler.*\\s*")) {
                        ticks += cpuTicks(task.resolve("stat"));
                    }
                } catch (java.io.IOException gone) {
                    // The thread ended meanwhile.
                }
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return ticks;
    }

    static long cpuTicks(long pid) throws java.io.IOException {
        return cpuTicks(Path.of("/proc/" + pid + "/stat"));
    }

    static long cpuTicks(Path statFile) throws java.io.IOException {
        String stat = Files.readString(statFile);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
