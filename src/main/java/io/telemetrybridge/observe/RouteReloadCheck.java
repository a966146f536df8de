package io.telemetrybridge.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.model.BeanFactoryDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.spi.ReloadStrategy;
import org.apache.camel.spi.ResourceReload;
import org.apache.camel.spi.ResourceReloadStrategy;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness check {@code routes-reload}, and the guard of live route reload ({@code camel.main.routes-reload-*}).
 * Camel applies a saved edit of a route file by replacing that file's routes; when the edit does not parse, the
 * old routes keep running, but when a route of it cannot be created (a bean or endpoint it names does not
 * exist) Camel has already removed the old one. So after every failed reload this check puts back, from the
 * last version that loaded, the routes of any file that lost some, and reports DOWN with the error (file, line
 * where the parser gives one) until a version of the file loads again.
 */
public final class RouteReloadCheck extends AbstractHealthCheck implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteReloadCheck.class);

    private final CamelContext context;
    private final Path directory;
    /** Per route file (resource location): the content that last loaded, and the route ids it made. */
    private final Map<String, byte[]> goodContent = new HashMap<>();
    private final Map<String, Set<String>> goodRoutes = new HashMap<>();
    /** Routes that were started in the last good state (some, like a disabled heartbeat, never start). */
    private final Set<String> goodStarted = new HashSet<>();
    /** The beans route files declared in the last good state (name to instance). */
    private Map<String, Object> goodBeans = Map.of();
    private volatile boolean cacheWarned;
    private volatile String failure;
    private Path failedFile;
    /** The failed file's content at the last look, and the last content tried. */
    private byte[] lastSeen;
    private byte[] tried;
    private int seenFailed;
    private int seenSucceeded;
    /** Looks put off because routes were not started yet (another reload may be starting them). */
    private int deferred;
    private ScheduledExecutorService scheduler;

    /** @param directory the watched folder ({@code camel.main.routes-reload-directory}) */
    public RouteReloadCheck(CamelContext context, Path directory) {
        super("bridge", "routes-reload");
        this.context = context;
        this.directory = directory;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    /** Remembers the routes as started and then looks at the reload counters every second. */
    public void start(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        if (context.hasService(ReloadStrategy.class) instanceof ResourceReloadStrategy watcher
                && watcher.getResourceReload() != null) {
            ResourceReload camels = watcher.getResourceReload();
            watcher.setResourceReload((name, resource) -> {
                forgetParsedBeans();
                camels.onReload(name, resource);
            });
        }
        remember();
        scheduler.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String f = failure;
        if (f == null) {
            builder.up().message("routes loaded from " + directory);
        } else {
            builder.down().message(f).detail("reason", f);
        }
    }

    synchronized void watch() {
        ReloadStrategy reload = context.hasService(ReloadStrategy.class);
        if (reload == null) {
            return;
        }
        int failed = reload.getFailedCounter();
        int succeeded = reload.getReloadCounter();
        // A save often comes as two events (truncate, then write): judge by the last attempt's outcome.
        Exception lastError = reload.getLastError();
        if (failed > seenFailed && lastError != null) {
            Exception e = lastError;
            failedFile = newestFile();
            failure = "the last edit of " + failedFile + " was not applied: " + describe(e);
            LOG.error("Route reload failed; {}", failure);
            restoreBeans();
            restore();
            lastSeen = read(failedFile);
            tried = lastSeen;
        } else if (succeeded > seenSucceeded && lastError == null) {
            List<String> stopped = notStarted();
            if (!stopped.isEmpty() && deferred < 2) {
                // A further save may be reloading them right now: look again before judging.
                deferred++;
                return;
            }
            deferred = 0;
            if (!stopped.isEmpty()) {
                // Camel can report a reload as done while a route of it could not start.
                failedFile = newestFile();
                failure = "the last edit of " + failedFile + " was not applied: routes " + stopped + " did not start";
                LOG.error("Route reload failed; {}", failure);
                restoreBeans();
                restore();
                lastSeen = read(failedFile);
                tried = lastSeen;
            } else {
                if (failure != null) {
                    LOG.info("Routes reloaded; the earlier failed edit is resolved");
                }
                failure = null;
                failedFile = null;
                remember();
            }
        } else if (failure != null && failedFile != null) {
            retryIfSaved(failedFile);
        }
        seenFailed = failed;
        seenSucceeded = succeeded;
    }

    /**
     * A file saved again after a failed edit is normally reloaded by Camel's watcher; should that save's event be
     * missed (it can come while routes are being put back), the new content is loaded here once it has stayed
     * the same for a second.
     */
    private void retryIfSaved(Path file) {
        byte[] now = read(file);
        boolean stable = now != null && Arrays.equals(now, lastSeen);
        lastSeen = now;
        if (!stable || Arrays.equals(now, tried)) {
            return;
        }
        tried = now;
        String location = "file:" + file;
        try {
            load(ResourceHelper.fromBytes(location, now));
            LOG.info("Loaded the new version of {}; the earlier failed edit is resolved", file);
            failure = null;
            failedFile = null;
            remember();
        } catch (Exception e) {
            failure = "the last edit of " + file + " was not applied: " + describe(e);
            LOG.error("Route reload failed; {}", failure);
            restoreBeans();
            restore();
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    /** Snapshots each route file with the ids of the routes it made, and the beans route files declare. */
    private void remember() {
        goodBeans = declaredBeans();
        Map<String, Set<String>> routes = new HashMap<>();
        goodStarted.clear();
        for (Route r : context.getRoutes()) {
            if (context.getRouteController().getRouteStatus(r.getRouteId()).isStarted()) {
                goodStarted.add(r.getRouteId());
            }
            Resource source = r.getSourceResource();
            if (source != null && source.getLocation().startsWith("file:")) {
                routes.computeIfAbsent(source.getLocation(), l -> new HashSet<>()).add(r.getRouteId());
            }
        }
        for (Map.Entry<String, Set<String>> e : routes.entrySet()) {
            try {
                goodContent.put(e.getKey(), Files.readAllBytes(Path.of(e.getKey().substring("file:".length()))));
                goodRoutes.put(e.getKey(), e.getValue());
            } catch (IOException ex) {
                LOG.warn("Cannot keep a copy of {}: {}", e.getKey(), ex.getMessage());
            }
        }
    }

    /** Ids of routes that ran in the last good state and are not started now. */
    private List<String> notStarted() {
        List<String> out = new ArrayList<>();
        for (Route r : context.getRoutes()) {
            if (goodStarted.contains(r.getRouteId())
                    && !context.getRouteController().getRouteStatus(r.getRouteId()).isStarted()) {
                out.add(r.getRouteId());
            }
        }
        return out;
    }

    /** Loads again, from the copy that last loaded, each file whose routes are not all there and started. */
    private void restore() {
        Set<String> running = new HashSet<>();
        context.getRoutes().forEach(r -> running.add(r.getRouteId()));
        running.removeAll(notStarted());
        for (Map.Entry<String, Set<String>> e : goodRoutes.entrySet()) {
            List<String> missing = new ArrayList<>(e.getValue());
            missing.removeAll(running);
            if (missing.isEmpty()) {
                continue;
            }
            try {
                load(ResourceHelper.fromBytes(e.getKey(), goodContent.get(e.getKey())));
                LOG.warn("Put back routes {} from the last version of {} that loaded", missing, e.getKey());
            } catch (Exception ex) {
                failure = failure + "; routes " + missing + " could not be put back: " + describe(ex);
                LOG.error("Could not put back routes {} of {}: {}", missing, e.getKey(), describe(ex));
            }
        }
    }

    /** Loads a route file: its beans (as Camel's own reload does), then its routes. */
    private void load(Resource resource) throws Exception {
        forgetParsedBeans();
        PluginHelper.getRoutesLoader(context).preParseRoute(resource, false);
        PluginHelper.getRoutesLoader(context).updateRoutes(List.of(resource));
    }

    /**
     * Binds again the beans of the last good state where a refused edit replaced them. Camel binds a route file's
     * beans before it builds the file's routes, so an edit refused for its second bean has already bound its
     * first; and when the good version is saved again, Camel does not bind that version's beans anew (it takes
     * them as bound already). Without this, routes rebuilt later would use a bean of the refused edit.
     */
    private void restoreBeans() {
        for (Map.Entry<String, Object> e : goodBeans.entrySet()) {
            Object now = context.getRegistry().lookupByName(e.getKey());
            if (now != e.getValue()) {
                context.getRegistry().unbind(e.getKey());
                context.getRegistry().bind(e.getKey(), e.getValue());
                LOG.warn("Bean {} put back as the last version of the routes that loaded declared it", e.getKey());
            }
        }
    }

    /**
     * Makes the next load of a route file create and bind every bean it declares. Camel's YAML loader skips a bean
     * whose name and type it has seen since its last complete load, and a load that fails part way never
     * completes: the next save of the file (often the second event of the same save, a few ms later) then loaded
     * its routes over the beans of the failed attempt and reported success, so rules of a refused edit ran
     * (RoutingRulesTest). Camel has no API for this; the cache is a field of its loader (camel-yaml-dsl 4.18),
     * reached by reflection, and a Camel without it is logged once.
     */
    private void forgetParsedBeans() {
        try {
            Object loader = PluginHelper.getRoutesLoader(context).getRoutesLoader("yaml");
            for (Class<?> c = loader.getClass(); c != null; c = c.getSuperclass()) {
                for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                    if (f.getName().equals("beansDeserializer")) {
                        f.setAccessible(true);
                        Object beans = f.get(loader);
                        beans.getClass().getMethod("clearCache").invoke(beans);
                        return;
                    }
                }
            }
            throw new NoSuchFieldException("beansDeserializer");
        } catch (Exception | LinkageError e) {
            if (!cacheWarned) {
                cacheWarned = true;
                LOG.warn("Cannot clear the YAML loader's bean cache ({}): after a refused edit, save the file "
                        + "again once it is fixed, and check readiness", e.toString());
            }
        }
    }

    /** The beans route files declare, by name, as bound now. */
    private Map<String, Object> declaredBeans() {
        Map<String, Object> out = new HashMap<>();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        if (model != null && model.getCustomBeans() != null) {
            for (BeanFactoryDefinition<?> def : model.getCustomBeans()) {
                Object bean = context.getRegistry().lookupByName(def.getName());
                if (bean != null) {
                    out.put(def.getName(), bean);
                }
            }
        }
        return out;
    }

    private Path newestFile() {
        try (var files = Files.list(directory)) {
            return files.filter(p -> p.toString().endsWith(".camel.yaml"))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .orElse(directory);
        } catch (IOException e) {
            return directory;
        }
    }

    /** The messages of an exception and its causes, without repeats (the parser's gives the line). */
    static String describe(Throwable e) {
        Map<String, Boolean> parts = new LinkedHashMap<>();
        for (Throwable t = e; t != null && parts.size() < 5; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && parts.keySet().stream().noneMatch(p -> p.contains(m.trim()))) {
                parts.put(m.trim().replaceAll("\\s+", " "), true);
            }
        }
        return parts.isEmpty() ? String.valueOf(e) : String.join(": ", parts.keySet());
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
