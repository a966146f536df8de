package io.telemetrybridge.http;

import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;

/**
 * The HTTP paths the routes serve now, read from platform-http's endpoints at each call, so routes a live reload
 * added, changed or removed count at once: which methods a path allows, and which tokens it needs.
 *
 * <p>Which tokens a path needs is said by the route's {@code group} in its YAML: {@code ingest} (ingestion
 * tokens), {@code open} (none); any other group, or none, needs the read tokens. So a route added in YAML is
 * protected unless it says otherwise, on any path. A path no route serves keeps the tokens of the route that
 * served it last (a reload or a shutdown is taking that route away: the caller then gets 503, not 401), else
 * needs the ingestion tokens under {@code /v1/} and the read tokens elsewhere.
 */
public final class HttpRoutes {

    /** Which tokens a path needs ({@code bridge.http.auth.*}). */
    public enum Access { INGEST, READ, OPEN }

    private static final String ACCESS = "telemetryAccess";

    private final CamelContext context;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();
    /** Path template -> the access its route last had: kept while a reload or a shutdown removes the route. */
    private final Map<String, Access> remembered = new ConcurrentHashMap<>();

    public HttpRoutes(CamelContext context) {
        this.context = context;
    }

    /**
     * The tokens a {@code method} request to {@code path} needs, from the group of the route serving it (see the
     * class comment); with no route for that method, from the path's other routes; with none at all, from the
     * route that served the path last (a reload or a shutdown is taking it away), else by the path's prefix.
     *
     * @param path the request's normalised path (no dot segments; Vert.x's {@code normalizedPath()})
     */
    public Access access(String method, String path) {
        String p = withoutTrailingSlash(path);
        Access other = null;
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint endpoint
                    && pattern(endpoint.getPath()).matcher(p).matches()) {
                Access access = access(route);
                remembered.put(endpoint.getPath(), access);
                if (verbs(endpoint).contains(method)) {
                    return access;
                }
                other = other == null ? access : other;
            }
        }
        if (other != null) {
            return other;
        }
        for (Map.Entry<String, Access> before : remembered.entrySet()) {
            if (pattern(before.getKey()).matcher(p).matches()) {
                return before.getValue();
            }
        }
        return p.startsWith("/v1/") ? Access.INGEST : Access.READ;
    }

    /**
     * {@link #access(String, String)} of a request, looked up once per request (the token check and the in-flight
     * bound both ask).
     */
    public Access access(RoutingContext ctx) {
        Access known = ctx.get(ACCESS);
        if (known == null) {
            known = access(ctx.request().method().name(), ctx.normalizedPath());
            ctx.put(ACCESS, known);
        }
        return known;
    }

    /** The methods the routes serve at {@code path}, sorted; empty when no route has it. */
    public SortedSet<String> allowed(String path) {
        String p = withoutTrailingSlash(path);
        SortedSet<String> verbs = new TreeSet<>();
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint endpoint
                    && pattern(endpoint.getPath()).matcher(p).matches()) {
                verbs.addAll(verbs(endpoint));
            }
        }
        return verbs;
    }

    /** A route without {@code httpMethodRestrict} takes any method; GET and POST are the ones it names. */
    private static List<String> verbs(PlatformHttpEndpoint endpoint) {
        String v = endpoint.getHttpMethodRestrict();
        return v == null || v.isBlank() ? List.of("GET", "POST")
                : Arrays.stream(v.split(",")).map(String::trim).toList();
    }

    /** Vert.x serves {@code /api/v1/metrics/} with the route of {@code /api/v1/metrics}: so must the guards. */
    private static String withoutTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
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

    private static Access access(Route route) {
        String group = route.getGroup() == null ? "" : route.getGroup().trim().toLowerCase(Locale.ROOT);
        return switch (group) {
            case "ingest" -> Access.INGEST;
            case "open" -> Access.OPEN;
            default -> Access.READ;
        };
    }
}
