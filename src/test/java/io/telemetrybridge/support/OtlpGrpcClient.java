package io.telemetrybridge.support;

import com.google.rpc.RetryInfo;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.CompressorRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A raw OTLP/gRPC client for status-path tests (grpc-java, plaintext): sends any bytes as the message of a
 * signal's {@code Export}, with chosen metadata, compression and deadline, and returns the status, the retry
 * delay from {@code google.rpc.RetryInfo} and the response bytes.
 */
public final class OtlpGrpcClient implements AutoCloseable {

    /** One answer: {@code code} is the gRPC status code; {@code retryDelaySeconds} -1 without RetryInfo. */
    public record Answer(Status.Code code, String message, long retryDelaySeconds, byte[] response) {}

    private final ManagedChannel channel;

    public OtlpGrpcClient(int port) {
        this(port, false);
    }

    /**
     * @param preCompressedGzip {@code true}: compression {@code gzip} sends the message bytes as they are (they
     *                          must be gzip already), so a test can send a gzip bomb without inflating it
     */
    public OtlpGrpcClient(int port, boolean preCompressedGzip) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .compressorRegistry(registry(preCompressedGzip)).build();
    }

    /** The method of {@code signal}'s export ({@code traces}, {@code metrics}, {@code logs}). */
    public static String method(String signal) {
        String service = switch (signal) {
            case "traces" -> "opentelemetry.proto.collector.trace.v1.TraceService";
            case "metrics" -> "opentelemetry.proto.collector.metrics.v1.MetricsService";
            case "logs" -> "opentelemetry.proto.collector.logs.v1.LogsService";
            default -> throw new IllegalArgumentException(signal);
        };
        return MethodDescriptor.generateFullMethodName(service, "Export");
    }

    public Answer export(String signal, byte[] message) {
        return call(method(signal), message, Map.of(), null, 30_000);
    }

    /**
     * @param compression {@code null} for none, {@code gzip}, or {@code br}: a coding the bridge does not read,
     *                    claimed with the message sent as it is
     */
    public Answer call(String method, byte[] message, Map<String, String> metadata, String compression,
            long deadlineMs) {
        MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName(method)
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
        Metadata headers = new Metadata();
        metadata.forEach((k, v) -> headers.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
        CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
        if (compression != null) {
            options = options.withCompression(compression);
        }
        var intercepted = io.grpc.ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(headers));
        ClientCall<byte[], byte[]> call = intercepted.newCall(descriptor, options);
        try {
            byte[] response = ClientCalls.blockingUnaryCall(call, message);
            return new Answer(Status.Code.OK, "", -1, response);
        } catch (StatusRuntimeException e) {
            com.google.rpc.Status rich = StatusProto.fromThrowable(e);
            long delay = -1;
            if (rich != null) {
                for (var any : rich.getDetailsList()) {
                    if (any.is(RetryInfo.class)) {
                        try {
                            delay = any.unpack(RetryInfo.class).getRetryDelay().getSeconds();
                        } catch (com.google.protobuf.InvalidProtocolBufferException bad) {
                            throw new AssertionError(bad);
                        }
                    }
                }
            }
            return new Answer(e.getStatus().getCode(), String.valueOf(e.getStatus().getDescription()), delay, null);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }

    private static CompressorRegistry registry(boolean preCompressedGzip) {
        CompressorRegistry own = CompressorRegistry.newEmptyInstance();
        own.register(preCompressedGzip ? new AsIs("gzip")
                : CompressorRegistry.getDefaultInstance().lookupCompressor("gzip"));
        own.register(new AsIs("br"));
        return own;
    }

    /** Claims coding {@code name} and sends the bytes as they are. */
    private record AsIs(String name) implements io.grpc.Compressor {
        @Override
        public String getMessageEncoding() {
            return name;
        }

        @Override
        public OutputStream compress(OutputStream os) {
            return os;
        }
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };
}
