package io.telemetrybridge.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;

/**
 * The HTTP paths the routes serve now, read from platform-http's endpoints at each call, so routes a live reload
 * added, changed or removed count at once: which methods a path allows, and which tokens it needs.
 *
 * <p>Which tokens a path needs is said by the route's {@code group} in its YAML: {@code ingest} (ingestion
 * tokens), {@code open} (none); any other group, or none, needs the read tokens. So a route added in YAML is
 * protected unless it says otherwise. A path no route serves needs the ingestion tokens under {@code /v1/} and
 * the read tokens elsewhere (its answer, a 404, names no route to a caller without a token).
 */
public final class HttpRoutes {

    /** Which tokens a path needs ({@code bridge.http.auth.*}). */
    public enum Access { INGEST, READ, OPEN }

    private final CamelContext context;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();
    private volatile PlatformHttpComponent http;

    public HttpRoutes(CamelContext context) {
        this.context = context;
    }

    /**
     * The tokens a {@code method} request to {@code path} needs, from the group of the route serving it (see the
     * class comment); with no route for that method, from the path's other routes.
     */
    public Access access(String method, String path) {
        Access other = null;
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint endpoint
                    && pattern(endpoint.getPath()).matcher(path).matches()) {
                String restrict = endpoint.getHttpMethodRestrict();
                if (restrict == null || restrict.isBlank() || List.of(restrict.split(",")).contains(method)) {
                    return access(route);
                }
                other = other == null ? access(route) : other;
            }
        }
        if (other != null) {
            return other;
        }
        return path.startsWith("/v1/") ? Access.INGEST : Access.READ;
    }

    /** The methods the routes serve at {@code path}, comma-separated and sorted; empty when no route has it. */
    public String allowed(String path) {
        Set<String> verbs = new TreeSet<>();
        for (HttpEndpointModel endpoint : serving(path)) {
            verbs.addAll(verbs(endpoint));
        }
        return String.join(", ", verbs);
    }

    private static List<String> verbs(HttpEndpointModel endpoint) {
        String v = endpoint.getVerbs();
        return v == null || v.isBlank() ? List.of("GET", "POST")
                : Arrays.stream(v.split(",")).map(String::trim).toList();
    }

    /**
     * The regular expression of a platform-http path template: a {@code {name}} stands for one path segment
     * ({@code /api/v1/traces/{traceId}}).
     */
    public Pattern pattern(String template) {
        return patterns.computeIfAbsent(template, t -> Pattern.compile(Arrays.stream(t.split("/", -1))
                .map(seg -> seg.startsWith("{") && seg.endsWith("}") ? "[^/]+" : Pattern.quote(seg))
                .collect(Collectors.joining("/"))));
    }

    private List<HttpEndpointModel> serving(String path) {
        PlatformHttpComponent component = http;
        if (component == null) {
            http = component = context.getComponent("platform-http", PlatformHttpComponent.class);
        }
        List<HttpEndpointModel> out = new ArrayList<>(2);
        for (HttpEndpointModel endpoint : component.getHttpEndpoints()) {
            if (pattern(endpoint.getUri()).matcher(path).matches()) {
                out.add(endpoint);
            }
        }
        return out;
    }

    private static Access access(Route route) {
        String group = route.getGroup() == null ? "" : route.getGroup().trim().toLowerCase(Locale.ROOT);
        return switch (group) {
            case "ingest" -> Access.INGEST;
            case "open" -> Access.OPEN;
            default -> Access.READ;
        };
    }
}
