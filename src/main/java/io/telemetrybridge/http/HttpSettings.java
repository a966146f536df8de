package io.telemetrybridge.http;

/**
 * The HTTP front door's settings ({@code camel.server.port}, {@code bridge.http.*}), read and validated once at
 * start-up.
 *
 * @param port                 port of the plain HTTP server ({@code camel.server.port}; Camel's default 8080)
 * @param retryAfterSeconds    {@code Retry-After} sent with 429 and 503, seconds
 * @param maxDecompressedBytes largest request body accepted once decompressed, bytes (also the gRPC message bound)
 * @param maxInFlightRequests  requests handled at once (HTTP and gRPC together); more get 429 / RESOURCE_EXHAUSTED
 * @param maxInFlightBytes     bytes of request bodies, decompressed, held at once (HTTP and gRPC together;
 *                             {@code bridge.http.max-in-flight-bytes}, by default a 24th of the heap); more get
 *                             429 / RESOURCE_EXHAUSTED
 * @param maxBodyBytes         largest request body as received ({@code camel.server.maxBodySize}), bytes; what a
 *                             body sent without {@code Content-Length} counts as in the in-flight bytes
 * @param access               tokens and CORS origins (its toString shows no token)
 * @param https                the HTTPS server, or null when {@code bridge.http.tls.port} is 0
 * @param managementHost       interface of the management server ({@code camel.management.host})
 * @param managementPort       its port ({@code camel.management.port}; Camel's default 9876), or -1 when
 *                             {@code camel.management.enabled} is false
 */
public record HttpSettings(int port, int retryAfterSeconds, long maxDecompressedBytes, int maxInFlightRequests,
        long maxInFlightBytes, long maxBodyBytes, HttpAccess access, HttpsSettings https, String managementHost, int managementPort) {}
