package io.telemetrybridge.http;

import java.util.ConcurrentModificationException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StatefulService;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Tells the HTTP front door when a path of ours cannot be served for a moment, so it answers 503 with
 * {@code Retry-After} (a {@code google.rpc.Status} UNAVAILABLE on the OTLP paths) instead of a 404, a 405 or
 * platform-http's bare 503 of a suspended route; OTLP clients retry the former and drop the data on the others:
 * <ul>
 *   <li>while the bridge starts (the HTTP server listens before the routes run), every request;</li>
 *   <li>from the moment the bridge starts shutting down, every request;</li>
 *   <li>while the consumer of a path's route is suspended or stopping (a reload suspends all routes of a file
 *       first);</li>
 *   <li>when no route has a path that a route served less than {@link #RELOAD_WINDOW_MS} ago;</li>
 *   <li>while a route's platform-http path is stopping, stopped or removed (a live reload replaces the routes of
 *       an edited file; a failed edit is put back by the {@code routes-reload} check), until a route serves the
 *       path again or {@link #RELOAD_WINDOW_MS} passed: a path a reload removed for good is a 404 after that.</li>
 * </ul>
 * Fed by Camel's route events.
 */
public final class RouteAvailability extends EventNotifierSupport {

    /** How long a path whose route went away is answered 503 rather than 404, in milliseconds. */
    public static final long RELOAD_WINDOW_MS = 10_000;

    private final CamelContext context;
    /** Path template of a route that stopped ({@code /api/v1/traces/{traceId}}) -> since when, epoch ms. */
    private final Map<String, Long> gaps = new ConcurrentHashMap<>();
    private final HttpRoutes routes;
    private volatile PlatformHttpComponent http;
    /** Exact path -> when a running route last took a request on it, epoch ms (refreshed at most every second). */
    private final Map<String, Long> served = new ConcurrentHashMap<>();

    public RouteAvailability(CamelContext context, HttpRoutes routes) {
        this.context = context;
        this.routes = routes;
        // Route events only.
        LifecycleEvents.withoutExchangeEvents(this);
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
    }

    /** Whether the bridge is shutting down (or stopped): nothing new is taken any more. */
    public boolean stopping() {
        ServiceStatus status = context.getStatus();
        return status.isStopping() || status.isStopped() || status.isSuspending() || status.isSuspended();
    }

    /**
     * Why {@code path} cannot be served now although it is one of ours, or null when nothing stands in the way
     * (then the route, or a 404/405 for a path no route serves, answers).
     */
    public String unavailable(String path) {
        if (stopping()) {
            return "the bridge is shutting down";
        }
        if (context.getStatus().isStarting()) {
            // The server listens before the routes start: a path is not unknown, only not served yet.
            return "the bridge is starting";
        }
        long now = System.currentTimeMillis();
        Boolean running;
        try {
            running = running(path);
        } catch (ConcurrentModificationException reloading) {
            // platform-http keeps its paths in a plain TreeSet, which a reload's thread changes while this event
            // loop reads it: some route is being added or removed right now, maybe not this path's, so this
            // request only is answered 503 (no gap is recorded for the path).
            return "the route serving " + path + " is being reloaded";
        }
        if (Boolean.FALSE.equals(running)) {
            // A reload suspends all routes of the edited file before it stops them one by one; the consumer goes
            // away before the route's stopping event, so the gap starts now.
            gap(path);
            return "the route serving " + path + " is being reloaded";
        }
        if (running == null) {
            // No route has the path now: one served it a moment ago (the events of its stop may not be out yet).
            Long seen = served.get(path);
            if (seen != null && now - seen < RELOAD_WINDOW_MS) {
                return "the route serving " + path + " is being reloaded";
            }
        } else {
            Long seen = served.get(path);
            if (seen == null || now - seen > 1000) {
                served.put(path, now);
            }
        }
        if (gaps.isEmpty()) {
            return null;
        }
        for (Map.Entry<String, Long> gap : gaps.entrySet()) {
            if (now - gap.getValue() < RELOAD_WINDOW_MS && routes.pattern(gap.getKey()).matcher(path).matches()) {
                return "the route serving " + gap.getKey() + " is being reloaded";
            }
        }
        return null;
    }

    /**
     * Whether the consumer of the route whose path is exactly {@code path} takes requests ({@code false}: it is
     * suspended or stopping); null when no route has that path.
     */
    private Boolean running(String path) {
        PlatformHttpComponent component = http;
        if (component == null) {
            http = component = context.getComponent("platform-http", PlatformHttpComponent.class);
        }
        for (HttpEndpointModel endpoint : component.getHttpEndpoints()) {
            if (path.equals(endpoint.getUri()) && endpoint.getConsumer() instanceof StatefulService consumer) {
                return !(consumer.isSuspending() || consumer.isSuspended() || consumer.isStopping()
                        || consumer.isStopped());
            }
        }
        return null;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.RouteStoppingEvent || event instanceof CamelEvent.RouteStoppedEvent
                || event instanceof CamelEvent.RouteRemovedEvent || event instanceof CamelEvent.RouteStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.RouteEvent routeEvent)) {
            return;
        }
        Endpoint endpoint = routeEvent.getRoute().getEndpoint();
        if (!(endpoint instanceof PlatformHttpEndpoint http)) {
            return;
        }
        String path = http.getPath();
        if (event instanceof CamelEvent.RouteStartedEvent) {
            gaps.remove(path);
        } else if (!stopping()) {
            gap(path);
        }
    }

    private void gap(String path) {
        long now = System.currentTimeMillis();
        gaps.compute(path, (p, since) -> since == null || now - since >= RELOAD_WINDOW_MS ? now : since);
    }

}
