package io.telemetrybridge.http;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS for the ingestion and query endpoints ({@code bridge.http.tls.*}; docs/security.md): a second Vert.x
 * server, TLS only, on its own port, that hands every request to the same router as the plain server on
 * {@code camel.server.port} (the same routes, tokens, CORS, in-flight bound and error pages). HTTP/2, HTTP/1.1
 * and HTTP/1.0 are offered through ALPN. The certificate chain and the private key (PKCS#8 or PKCS#1,
 * unencrypted) are PEM files read at start-up; a file that cannot be used, or a key that is not the
 * certificate's, stops the start-up with its path; an expired or soon expiring certificate is logged. Started by
 * {@link HttpFrontDoor} once the router has its handlers; stopped with the context.
 */
final class HttpsListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpsListener.class);
    private static final int EXPIRY_WARNING_DAYS = 14;

    private final HttpsSettings settings;
    private final Path certPath;
    private final Path keyPath;

    HttpsListener(HttpsSettings settings) {
        this.settings = settings;
        this.certPath = settings.certPath();
        this.keyPath = settings.keyPath();
    }

    /** Serves {@code router} over TLS on the configured port, until {@code context} stops. */
    void start(CamelContext context, VertxPlatformHttpRouter router) throws Exception {
        String host = settings.host();
        int port = settings.port();
        PemKeyCertOptions pem = new PemKeyCertOptions().setCertPath(certPath.toString())
                .setKeyPath(keyPath.toString());
        checkPair(pem.getKeyManagerFactory(router.vertx()));
        HttpServerOptions options = new HttpServerOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1, HttpVersion.HTTP_1_0))
                .setKeyCertOptions(pem)
                .setHost(host)
                .setPort(port);
        HttpServer server = router.vertx().createHttpServer(options).requestHandler(router);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("bridge.http.tls: cannot serve HTTPS on " + host + ":" + port + " with "
                    + certPath + " and " + keyPath + ": " + e.getCause().getMessage(), e.getCause());
        }
        LOG.info("HTTPS (HTTP/2 and HTTP/1.x) on {}:{}, certificate {}", host, server.actualPort(), certPath);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }, true, false);
    }

    /**
     * Stops the start-up when the key does not belong to the certificate (every handshake would fail), and warns
     * when the certificate is expired, not yet valid, or expires within {@link #EXPIRY_WARNING_DAYS} days.
     */
    private void checkPair(KeyManagerFactory factory) throws Exception {
        X509KeyManager manager = null;
        for (KeyManager m : factory.getKeyManagers()) {
            if (m instanceof X509KeyManager x) {
                manager = x;
            }
        }
        Set<String> aliases = new LinkedHashSet<>();
        for (String type : new String[] {"RSA", "EC", "EdDSA", "Ed25519"}) {
            String[] found = manager == null ? null : manager.getServerAliases(type, null);
            if (found != null) {
                aliases.addAll(List.of(found));
            }
        }
        for (String alias : aliases) {
            PrivateKey key = manager.getPrivateKey(alias);
            X509Certificate[] chain = manager.getCertificateChain(alias);
            if (key == null || chain == null || chain.length == 0) {
                continue;
            }
            X509Certificate cert = chain[0];
            String algorithm = switch (key.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                default -> null;
            };
            if (algorithm != null) {
                byte[] probe = "telemetry-bridge".getBytes(StandardCharsets.US_ASCII);
                Signature sign = Signature.getInstance(algorithm);
                sign.initSign(key);
                sign.update(probe);
                byte[] signature = sign.sign();
                Signature verify = Signature.getInstance(algorithm);
                verify.initVerify(cert.getPublicKey());
                verify.update(probe);
                if (!verify.verify(signature)) {
                    throw new IllegalStateException("bridge.http.tls.key-path: " + keyPath + " is not the key of the "
                            + "certificate in " + certPath + " (" + cert.getSubjectX500Principal() + ")");
                }
            }
            Instant notAfter = cert.getNotAfter().toInstant();
            Instant now = Instant.now();
            if (now.isAfter(notAfter) || now.isBefore(cert.getNotBefore().toInstant())) {
                LOG.warn("The HTTPS certificate {} ({}) is not valid now: valid from {} to {}; clients will refuse it",
                        certPath, cert.getSubjectX500Principal(), cert.getNotBefore().toInstant(), notAfter);
            } else if (now.plus(Duration.ofDays(EXPIRY_WARNING_DAYS)).isAfter(notAfter)) {
                LOG.warn("The HTTPS certificate {} ({}) expires on {}", certPath, cert.getSubjectX500Principal(),
                        notAfter);
            }
        }
    }
}
