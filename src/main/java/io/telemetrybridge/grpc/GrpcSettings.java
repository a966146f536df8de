package io.telemetrybridge.grpc;

/**
 * The OTLP/gRPC receiver's settings ({@code bridge.grpc.*}; docs/grpc.md), validated by {@code BridgeSettings}.
 *
 * @param enabled          whether the gRPC server runs at all
 * @param host             interface it binds to
 * @param port             its port (4317, the OTLP/gRPC default)
 * @param maxMessageBytes  largest request message, in bytes, both as received and once decompressed
 *                         ({@code bridge.http.max-decompressed-bytes}, the HTTP side's bound); larger messages get
 *                         {@code RESOURCE_EXHAUSTED} from grpc-java, enforced while inflating
 * @param drainTimeoutMs   at shutdown, how long calls in hand may take to finish (their Kafka acknowledgements),
 *                         in milliseconds; new calls are refused with {@code UNAVAILABLE} meanwhile
 */
public record GrpcSettings(boolean enabled, String host, int port, int maxMessageBytes, long drainTimeoutMs) {}
