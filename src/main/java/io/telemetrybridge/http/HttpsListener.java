package io.telemetrybridge.http;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS for the ingestion and query endpoints ({@code bridge.http.tls.*}; README, "Security"): a second Vert.x
 * server, TLS only, on its own port, that hands every request to the same router as the plain server on
 * {@code camel.server.port} (the same routes, tokens, CORS, in-flight bound and error pages). HTTP/2 and
 * HTTP/1.1 are offered through ALPN. The certificate chain and the private key (PKCS#8 or PKCS#1, unencrypted)
 * are PEM files read at start-up; a file that cannot be used stops the start-up with its path.
 *
 * @param port     port of the HTTPS server
 * @param host     interface it binds to
 * @param certPath PEM certificate chain, the server's certificate first
 * @param keyPath  PEM private key of that certificate
 */
public record HttpsListener(int port, String host, Path certPath, Path keyPath) implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpsListener.class);

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // The router exists only once the plain HTTP server has started.
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        int plainPort = Integer.parseInt(context.getPropertiesComponent().resolveProperty("camel.server.port")
                .orElse("8080").trim());
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(plainPort));
        if (router == null) {
            throw new IllegalStateException("bridge.http.tls.port: the HTTP server (camel.server.*) is not running");
        }
        HttpServerOptions options = new HttpServerOptions()
                .setSsl(true)
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPath.toString())
                        .setKeyPath(keyPath.toString()))
                .setHost(host)
                .setPort(port);
        HttpServer server = router.vertx().createHttpServer(options).requestHandler(router);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("bridge.http.tls: cannot serve HTTPS on " + host + ":" + port + " with "
                    + certPath + " and " + keyPath + ": " + e.getCause().getMessage(), e.getCause());
        }
        LOG.info("HTTPS (HTTP/2 and HTTP/1.1) on {}:{}, certificate {}", host, server.actualPort(), certPath);
        context.addService(new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }, true, false);
    }
}
