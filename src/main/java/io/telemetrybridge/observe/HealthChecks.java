package io.telemetrybridge.observe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Registers the bridge's own health checks with Camel's registry (served on the management port, under
 * {@code /observe/health}) once the context has started, and closes them when it stops: {@code kafka}
 * (readiness), {@code routes-reload} (readiness, with live reload on) and any other given.
 */
public final class HealthChecks {

    private HealthChecks() {}

    /** Registers readiness check {@code kafka}, fed by a background describe-cluster every 5 s. */
    public static KafkaReadinessCheck kafka(CamelContext context, Map<String, Object> adminConfig,
            Supplier<List<String>> topics, Supplier<List<String>> topicDrift) throws Exception {
        KafkaReadinessCheck check = new KafkaReadinessCheck(adminConfig, topics, Duration.ofSeconds(3), topicDrift);
        check.setCamelContext(context);
        check.start(context.getExecutorServiceManager().newSingleThreadScheduledExecutor(check, "kafka-health"),
                Duration.ofSeconds(5));
        register(context, check, check);
        return check;
    }

    /**
     * With live route reload on ({@code camel.main.routes-reload-enabled}), registers {@code routes-reload}: it
     * puts back routes a failed edit removed.
     */
    public static void routeReload(CamelContext context) throws Exception {
        var properties = context.getPropertiesComponent();
        boolean enabled = properties.resolveProperty("camel.main.routes-reload-enabled")
                .or(() -> properties.resolveProperty("camel.main.routesReloadEnabled")).orElse("false").trim()
                .equals("true");
        if (!enabled) {
            return;
        }
        String directory = properties.resolveProperty("camel.main.routesReloadDirectory")
                .or(() -> properties.resolveProperty("camel.main.routes-reload-directory")).orElse("src/main/resources")
                .trim();
        RouteReloadCheck check = new RouteReloadCheck(context, Path.of(directory));
        check.setCamelContext(context);
        whenFullyStarted(context, ctx -> check.start(
                ctx.getExecutorServiceManager().newSingleThreadScheduledExecutor(check, "routes-reload")));
        register(context, check, check);
    }

    /** Registers {@code check} once the context has started, and runs {@code closer} when it stops. */
    public static void register(CamelContext context, HealthCheck check, AutoCloseable closer) throws Exception {
        whenFullyStarted(context, ctx -> {
            HealthCheckRegistry registry = HealthCheckRegistry.get(ctx);
            if (registry != null) {
                registry.register(check);
            }
        });
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                closer.close();
            }
        }, true, false);
    }

    /** Runs {@code action} once every route has started (camel-micrometer's registry is bound by then). */
    public static void whenFullyStarted(CamelContext context, Consumer<CamelContext> action) throws Exception {
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // not every route has started yet
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                action.accept(ctx);
            }
        });
    }
}
