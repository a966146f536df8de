package io.telemetrybridge.grpc;

import java.nio.file.Path;

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
 * @param certificatePath  PEM certificate chain for TLS ({@code bridge.http.tls.certificate-path}), or null for
 *                         plaintext (h2c, the default, as the Collector's receiver)
 * @param keyPath          its PEM private key (PKCS#8, unencrypted), or null
 */
public record GrpcSettings(boolean enabled, String host, int port, int maxMessageBytes, long drainTimeoutMs,
        Path certificatePath, Path keyPath) {

    /** Whether the server speaks TLS. */
    public boolean tls() {
        return certificatePath != null;
    }
}
