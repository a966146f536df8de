package io.telemetrybridge.grpc;

import com.google.rpc.Code;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.telemetrybridge.deadletter.DeadLetter;
import io.telemetrybridge.deadletter.DeadLetters;
import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.error.RequestTooLargeException;
import io.telemetrybridge.http.BearerTokens;
import io.telemetrybridge.http.InFlightBound;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.Source;
import io.telemetrybridge.observe.BridgeMeters;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP/gRPC front door ({@code bridge.grpc.*}; OTLP specification, "OTLP/gRPC"): one grpc-java server
 * serving the unary {@code Export} of {@code opentelemetry.proto.collector.{trace,metrics,logs}.v1.*Service}
 * and the standard {@code grpc.health.v1.Health}. It does no OTLP work itself: each call goes to the route whose
 * {@code from} is {@code otlp-grpc:<signal>} ({@link OtlpGrpcConsumer}), which runs the same pipeline as
 * OTLP/HTTP, and the route's answer becomes the gRPC answer ({@link GrpcAnswers}).
 * <p>
 * Before a message is decoded: tokens ({@code authorization: Bearer} metadata, the ingestion tokens of HTTP),
 * then the in-flight bound shared with HTTP. A call of a signal whose route is not running (shutdown, live
 * reload) gets {@code UNAVAILABLE} with a retry delay. Messages are bounded as received and while inflating
 * ({@link GrpcSettings#maxMessageBytes}); {@code gzip} and {@code identity} are the codings it reads, any other
 * gets {@code UNIMPLEMENTED} from grpc-java. No metadata reaches the exchange. It is a context service added
 * after the Kafka producers, so at shutdown it stops after the routes and before the producers: calls in hand
 * finish with their acknowledgements (bounded by {@link GrpcSettings#drainTimeoutMs}).
 */
public final class OtlpGrpcServer extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(OtlpGrpcServer.class);
    private static final String HEALTH_OVERALL = "";
    /** Largest metadata (headers) of a call, in bytes. */
    static final int MAX_METADATA_BYTES = 64 * 1024;

    private final CamelContext context;
    private final GrpcSettings settings;
    private final InFlightBound inFlight;
    private final BearerTokens tokens;
    private final int retryAfterSeconds;
    private final BridgeMeters meters;
    private final DeadLetters deadLetters;
    private final BooleanSupplier contextStopping;
    private final Map<Signal, OtlpGrpcConsumer> routes = new ConcurrentHashMap<>();
    private final HealthStatusManager health = new HealthStatusManager();
    private volatile boolean stopping;
    private Server server;
    private ExecutorService executor;

    /**
     * @param tokens            ingestion tokens, or null when ingestion is open
     * @param retryAfterSeconds retry delay of {@code UNAVAILABLE} and {@code RESOURCE_EXHAUSTED} answers
     * @param contextStopping   whether the bridge has begun to shut down ({@code RouteAvailability#stopping}, the
     *                          HTTP door's answer to the same question)
     */
    public OtlpGrpcServer(CamelContext context, GrpcSettings settings, InFlightBound inFlight, BearerTokens tokens,
            int retryAfterSeconds, BridgeMeters meters, DeadLetters deadLetters,
            BooleanSupplier contextStopping) {
        this.deadLetters = deadLetters;
        this.contextStopping = contextStopping;
        this.context = context;
        this.settings = settings;
        this.inFlight = inFlight;
        this.tokens = tokens;
        this.retryAfterSeconds = retryAfterSeconds;
        this.meters = meters;
        health.setStatus(HEALTH_OVERALL, ServingStatus.NOT_SERVING);
        for (Signal s : Signal.values()) {
            health.setStatus(serviceName(s), ServingStatus.NOT_SERVING);
        }
    }

    /** The fully qualified gRPC service of {@code signal}, as the OTLP protos name it. */
    public static String serviceName(Signal signal) {
        return switch (signal) {
            case TRACES -> "opentelemetry.proto.collector.trace.v1.TraceService";
            case METRICS -> "opentelemetry.proto.collector.metrics.v1.MetricsService";
            case LOGS -> "opentelemetry.proto.collector.logs.v1.LogsService";
        };
    }

    public GrpcSettings settings() {
        return settings;
    }

    /** The port it listens on (the configured one, or the one chosen for port 0); -1 when not running. */
    public int port() {
        Server s = server;
        return s == null || s.isShutdown() ? -1 : s.getPort();
    }

    /** Signals whose route is running now. */
    public Set<Signal> routed() {
        return Set.copyOf(routes.keySet());
    }

    /** A route's consumer starts taking its signal's calls; one route per signal. */
    void attach(OtlpGrpcConsumer consumer) {
        OtlpGrpcConsumer before = routes.putIfAbsent(consumer.signal(), consumer);
        if (before != null && before != consumer) {
            throw new IllegalStateException("otlp-grpc:" + consumer.signal().id() + " is already the endpoint of route "
                    + before.getRouteId() + "; one route per signal");
        }
        if (!stopping) {
            health.setStatus(serviceName(consumer.signal()), ServingStatus.SERVING);
        }
    }

    /** A route's consumer stops; calls of its signal get {@code UNAVAILABLE} until a route takes them again. */
    void detach(OtlpGrpcConsumer consumer) {
        if (routes.remove(consumer.signal(), consumer)) {
            health.setStatus(serviceName(consumer.signal()), ServingStatus.NOT_SERVING);
        }
    }

    @Override
    protected void doStart() throws Exception {
        if (!settings.enabled()) {
            LOG.info("OTLP/gRPC receiver off (bridge.grpc.enabled=false)");
            return;
        }
        executor = context.getExecutorServiceManager().newCachedThreadPool(this, "otlp-grpc");
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(),
                        settings.port()))
                .executor(executor)
                .maxInboundMessageSize(settings.maxMessageBytes())
                // grpc-java's 8 KiB would answer larger metadata (big tokens, many headers) with a GOAWAY, which
                // clients read as UNAVAILABLE and retry for ever.
                .maxInboundMetadataSize(MAX_METADATA_BYTES)
                // SDKs and Collectors may ping to keep connections through load balancers.
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .addService(health.getHealthService());
        if (settings.tls()) {
            try {
                builder.sslContext(GrpcSslContexts.forServer(settings.certificatePath().toFile(),
                        settings.keyPath().toFile()).build());
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalStateException("bridge.grpc.tls.enabled: cannot use " + settings.certificatePath()
                        + " and " + settings.keyPath() + " (PEM chain and unencrypted PKCS#8 key): " + e.getMessage(), e);
            }
        }
        GrpcGuards guards = new GrpcGuards(tokens, inFlight, retryAfterSeconds, meters);
        for (Signal s : Signal.values()) {
            builder.addService(ServerInterceptors.intercept(service(s), guards.interceptors(s)));
        }
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new IllegalStateException("bridge.grpc.port: cannot serve OTLP/gRPC on " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
        health.setStatus(HEALTH_OVERALL, ServingStatus.SERVING);
        LOG.info("OTLP/gRPC on {}:{} over {} (traces, metrics, logs; grpc.health.v1), messages up to {} bytes",
                settings.host(), server.getPort(), settings.tls() ? "TLS (" + settings.certificatePath() + ")"
                        : "plaintext h2c", settings.maxMessageBytes());
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        // Health watchers and probes see NOT_SERVING first; new calls get UNAVAILABLE from export().
        health.enterTerminalState();
        Server s = server;
        if (s != null) {
            s.shutdown();
            if (!s.awaitTermination(settings.drainTimeoutMs(), TimeUnit.MILLISECONDS)) {
                LOG.warn("OTLP/gRPC calls still open after {} ms; closing them", settings.drainTimeoutMs());
                s.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            }
        }
        if (executor != null) {
            context.getExecutorServiceManager().shutdown(executor);
        }
    }

    private ServerServiceDefinition service(Signal signal) {
        MethodDescriptor<Inbound, byte[]> export = MethodDescriptor.<Inbound, byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(serviceName(signal), "Export"))
                .setRequestMarshaller(Inbound.MARSHALLER)
                .setResponseMarshaller(RawBytes.INSTANCE)
                .build();
        return ServerServiceDefinition.builder(serviceName(signal))
                .addMethod(export, ServerCalls.asyncUnaryCall((message, observer) -> export(signal,
                        export.getFullMethodName(), message, (ServerCallStreamObserver<byte[]>) observer)))
                .build();
    }

    private void export(Signal signal, String method, Inbound inbound, ServerCallStreamObserver<byte[]> observer) {
        // Without a handler, answering a call the client cancelled (deadline passed) would throw.
        observer.setOnCancelHandler(() -> { });
        if (inbound.refused() != null) {
            // Refused before the route (a bad gzip body, over the size bound): dead-lettered here, as over HTTP,
            // with the reason; grpc-java gives no access to the bytes as they came.
            String reason = inbound.refused().getStatus().getDescription();
            OtlpGrpcConsumer route = routes.get(signal);
            deadLetters.publish(DeadLetter.of(signal.id(), Source.OTLP_GRPC, route == null ? null
                            : route.getRouteId(),
                    inbound.refused().getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED
                            ? new RequestTooLargeException(settings.maxMessageBytes())
                            : new InvalidInputException("", reason), new byte[0])
                    .with("grpc.method", method).with("payload.omitted", true));
            fail(observer, signal, inbound.refused());
            return;
        }
        byte[] message = inbound.bytes();
        if (Context.current().isCancelled()) {
            // The client's deadline passed while the call waited: it no longer listens, so nothing is sent.
            meters.grpcRequest(signal, "CANCELLED");
            return;
        }
        OtlpGrpcConsumer route = routes.get(signal);
        // From the moment the bridge starts shutting down, as over HTTP: the routes' producers stop soon.
        boolean closing = stopping || contextStopping.getAsBoolean();
        if (closing || route == null) {
            fail(observer, signal, GrpcAnswers.error(Code.UNAVAILABLE, closing
                    ? "the bridge is shutting down; retry after " + retryAfterSeconds + " s (another instance may take it)"
                    : "the route taking " + signal.id() + " is not running now (being reloaded?); retry after "
                            + retryAfterSeconds + " s", retryAfterSeconds));
            return;
        }
        GrpcGuards.Slot slot = GrpcGuards.Slot.KEY.get();
        if (slot != null && !slot.hold()) {
            meters.grpcRequest(signal, "CANCELLED");
            return;
        }
        if (slot != null && !slot.reserve(message.length)) {
            slot.release();
            fail(observer, signal, GrpcAnswers.error(Code.RESOURCE_EXHAUSTED, "the bridge holds "
                    + inFlight.bytesInUse() + " bytes of requests already and this message is " + message.length
                    + " (bridge.http.max-in-flight-bytes: " + inFlight.maxBytes() + ", shared by HTTP and gRPC); "
                    + "retry after " + retryAfterSeconds + " s", retryAfterSeconds));
            return;
        }
        try {
            route.export(message, method, exchange -> {
                try {
                    answer(signal, exchange, observer);
                } finally {
                    if (slot != null) {
                        slot.release();
                    }
                }
            });
        } catch (RuntimeException e) {
            if (slot != null) {
                slot.release();
            }
            // The route stopped between the lookup and the call.
            LOG.debug("OTLP/gRPC call of {} not routed: {}", signal.id(), e.toString());
            fail(observer, signal, GrpcAnswers.error(Code.UNAVAILABLE, "the route taking " + signal.id()
                    + " is not running now; retry after " + retryAfterSeconds + " s", retryAfterSeconds));
        }
    }

    private void answer(Signal signal, Exchange exchange, ServerCallStreamObserver<byte[]> observer) {
        Exception unhandled = exchange.getException();
        if (unhandled != null) {
            // The otlp-errors route configuration handles every exception; this is a route without it.
            LOG.error("OTLP/gRPC route {} failed without an answer", exchange.getFromRouteId(), unhandled);
            fail(observer, signal, GrpcAnswers.error(Code.INTERNAL, "internal error; the bridge's log has the "
                    + "details", null));
            return;
        }
        int http = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        if (http != 200) {
            fail(observer, signal, GrpcAnswers.error(exchange));
            return;
        }
        if (observer.isCancelled()) {
            meters.grpcRequest(signal, "CANCELLED");
            return;
        }
        observer.onNext(exchange.getMessage().getBody(byte[].class));
        observer.onCompleted();
        meters.grpcRequest(signal, "OK");
    }

    private void fail(ServerCallStreamObserver<byte[]> observer, Signal signal, StatusRuntimeException error) {
        meters.grpcRequest(signal, error.getStatus().getCode().name());
        if (!observer.isCancelled()) {
            observer.onError(error);
        }
    }

    /** Response messages as their bytes: the OTLP pipeline encoded them. */
    private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            throw new UnsupportedOperationException("responses are only written");
        }
    }

    /**
     * A request message as its bytes (the OTLP pipeline decodes them, as it does OTLP/HTTP bodies), or why it
     * could not be read: grpc-java enforces the size bound while inflating by throwing from the stream, and a
     * throw out of a marshaller would reach the client as {@code UNKNOWN}, which it may retry for ever.
     */
    private record Inbound(byte[] bytes, StatusRuntimeException refused) {
        static final MethodDescriptor.Marshaller<Inbound> MARSHALLER = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Inbound value) {
                throw new UnsupportedOperationException("requests are only read");
            }

            @Override
            public Inbound parse(InputStream stream) {
                try {
                    return new Inbound(stream.readAllBytes(), null);
                } catch (StatusRuntimeException e) {
                    // RESOURCE_EXHAUSTED without RetryInfo: not retryable (OTLP/gRPC), the message never fits.
                    return new Inbound(null, GrpcAnswers.error(Code.forNumber(e.getStatus().getCode().value()),
                            e.getStatus().getDescription() + " (bridge.http.max-decompressed-bytes)", null));
                } catch (IOException e) {
                    return new Inbound(null, GrpcAnswers.error(Code.INVALID_ARGUMENT, "cannot read the message: "
                            + e.getMessage(), null));
                }
            }
        };
    }
}
