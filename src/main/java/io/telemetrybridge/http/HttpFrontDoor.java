package io.telemetrybridge.http;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front door around the platform-http routes: once the HTTP server runs, adds the guards
 * ({@link HttpGuards}: CORS, tokens, in-flight bound) and the fallback answers ({@link FallbackAnswers}) to its
 * router, then starts the HTTPS server on the same router when configured ({@link HttpsListener}). Warns at
 * start-up about endpoint groups left open.
 */
public final class HttpFrontDoor implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFrontDoor.class);

    private final HttpSettings settings;
    private final InFlightBound inFlight;
    private final RouteAvailability availability;
    private final HttpRoutes routes;

    /**
     * @param inFlight     the in-flight bound, shared with the gRPC door
     * @param availability when a path cannot be served for a moment (reload, shutdown)
     */
    public HttpFrontDoor(HttpSettings settings, InFlightBound inFlight, RouteAvailability availability,
            HttpRoutes routes) {
        this.settings = settings;
        this.inFlight = inFlight;
        this.availability = availability;
        this.routes = routes;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // The router exists only once the HTTP server has started.
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(settings.port()));
        if (router == null) {
            if (settings.https() != null) {
                throw new IllegalStateException("bridge.http.tls.port: the HTTP server (camel.server.*) is not "
                        + "running");
            }
            return;
        }
        new HttpGuards(settings.access(), routes, inFlight, settings.retryAfterSeconds()).install(router);
        new FallbackAnswers(routes, availability, settings.retryAfterSeconds()).install(router);
        if (settings.https() != null) {
            new HttpsListener(settings.https()).start(context, router);
        }
        if (settings.access().readTokens().isEmpty()) {
            LOG.warn("The read endpoints (queries, trace lookups, stats, cluster, topics) are open to anyone who can "
                    + "reach port {}: set bridge.http.auth.read.token (docs/security.md)", settings.port());
        }
        if (settings.access().ingestTokens().isEmpty()) {
            LOG.warn("The ingestion endpoints are open to anyone who can reach port {}: set "
                    + "bridge.http.auth.ingest.token (docs/security.md)", settings.port());
        }
    }
}
