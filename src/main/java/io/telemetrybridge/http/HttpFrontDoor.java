package io.telemetrybridge.http;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front door around the platform-http routes: adds the guards ({@link HttpGuards}: CORS, tokens,
 * in-flight bound) and the fallback answers ({@link FallbackAnswers}) to the HTTP server's router before any
 * route starts (at Camel's "routes starting" event: the server is up, no route serves yet, so no request is
 * ever answered unguarded), then starts the HTTPS server on the same router when configured
 * ({@link HttpsListener}). The router is the one of the server Camel runs (camel-platform-http-main's
 * {@code MainHttpServer}), whatever port that is; a {@code camel.server.port} that differs from it is logged.
 * Warns at start-up about endpoint groups left open. Register it both as an event notifier and as a startup
 * listener.
 */
public final class HttpFrontDoor extends EventNotifierSupport implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFrontDoor.class);

    private final CamelContext context;
    private final HttpSettings settings;
    private final InFlightBound inFlight;
    private final RouteAvailability availability;
    private final HttpRoutes routes;
    private final AtomicBoolean installed = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();

    /**
     * @param inFlight     the in-flight bound, shared with the gRPC door
     * @param availability when a path cannot be served for a moment (reload, shutdown)
     */
    public HttpFrontDoor(CamelContext context, HttpSettings settings, InFlightBound inFlight,
            RouteAvailability availability, HttpRoutes routes) {
        this.context = context;
        this.settings = settings;
        this.inFlight = inFlight;
        this.availability = availability;
        this.routes = routes;
        // Context events only.
        LifecycleEvents.withoutExchangeEvents(this);
        setIgnoreRouteEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextRoutesStartingEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        install();
    }

    @Override
    public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
        // Installed at the routes-starting event, or when fully started at the latest.
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
        VertxPlatformHttpRouter router = install();
        if (router == null) {
            if (settings.https() != null) {
                throw new IllegalStateException("bridge.http.tls.port: the HTTP server (camel.server.*) is not "
                        + "running");
            }
            return;
        }
        if (!started.compareAndSet(false, true)) {
            // Camel calls a startup listener that is also a context service twice.
            return;
        }
        if (settings.https() != null) {
            new HttpsListener(settings.https()).start(ctx, router);
        }
        int port = serverPort();
        if (settings.access().readTokens().isEmpty()) {
            LOG.warn("The read endpoints (queries, trace lookups, stats, cluster, topics) are open to anyone who can "
                    + "reach port {}: set bridge.http.auth.read.token (docs/security.md)", port);
        }
        if (settings.access().ingestTokens().isEmpty()) {
            LOG.warn("The ingestion endpoints are open to anyone who can reach port {}: set "
                    + "bridge.http.auth.ingest.token (docs/security.md)", port);
        }
    }

    /** Adds the guards and fallbacks once; the router, or null when no HTTP server runs. */
    private VertxPlatformHttpRouter install() {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        VertxPlatformHttpRouter router = server != null ? server.getRouter() : VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(settings.port()));
        if (router == null) {
            return null;
        }
        if (installed.compareAndSet(false, true)) {
            if (server != null && server.getPort() != settings.port()) {
                LOG.warn("The HTTP server listens on port {}, not on camel.server.port={} as the settings say: Camel "
                        + "reads camel.server.port from properties files and -D only", server.getPort(),
                        settings.port());
            }
            new HttpGuards(settings.access(), routes, inFlight, settings.retryAfterSeconds(),
                    settings.maxBodyBytes()).install(router);
            new FallbackAnswers(routes, availability, settings.retryAfterSeconds()).install(router);
        }
        return router;
    }

    private int serverPort() {
        MainHttpServer server = context.hasService(MainHttpServer.class);
        return server != null ? server.getPort() : settings.port();
    }
}
