package io.telemetrybridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/**
 * The route files users edit, checked at build time by the YAML DSL's own parser (no broker, nothing started):
 * every {@code routes/*.camel.yaml} parses, an unknown key fails the build naming it, every route has an
 * explicit id, every {@code routeConfigurationId} names a route configuration that exists, and the parts said once
 * (YAML anchors) reach every place that names them.
 */
class RouteFilesTest {

    @Test
    void everyRouteFileParsesWithIdsAndKnownRouteConfigurations() throws Exception {
        List<RouteDefinition> routes = new ArrayList<>();
        List<String> configurations = new ArrayList<>();
        List<OnExceptionDefinition> handlers = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                for (RouteBuilder builder : parse(ResourceHelper.fromString(file.getFileName().toString(),
                        Files.readString(file)))) {
                    routes.addAll(builder.getRouteCollection().getRoutes());
                    if (builder instanceof RouteConfigurationBuilder c) {
                        for (RouteConfigurationDefinition rc : c.getRouteConfigurationCollection()
                                .getRouteConfigurations()) {
                            configurations.add(rc.getId());
                            handlers.addAll(rc.getOnExceptions());
                        }
                    }
                }
            }
        }
        assertThat(routes).hasSizeGreaterThan(20);
        assertThat(configurations).contains("http-errors", "otlp-errors", "file-errors", "read-errors");
        // YAML aliases (*kafka-unavailable, *kafka-retry) resolve to the anchored lists and blocks.
        assertThat(handlers).hasSizeGreaterThan(15).allSatisfy(h -> assertThat(h.getExceptions()).isNotEmpty());
        assertThat(handlers).filteredOn(h -> h.getExceptions().contains("org.apache.kafka.common.KafkaException"))
                .hasSize(5).allSatisfy(h -> assertThat(h.getExceptions()).containsExactly(
                        "org.apache.kafka.common.KafkaException", "javax.net.ssl.SSLException",
                        "java.security.GeneralSecurityException"));
        assertThat(handlers).filteredOn(h -> h.getRedeliveryPolicyType() != null).hasSize(2).allSatisfy(h ->
                assertThat(h.getRedeliveryPolicyType().getMaximumRedeliveries())
                        .isEqualTo("{{bridge.retry.max-redeliveries}}"));
        for (RouteDefinition route : routes) {
            assertThat(route.getRouteId()).as("id of the route from %s", route.getInput().getUri())
                    .isNotBlank().matches("[a-z0-9]+(-[a-z0-9]+)*");
            if (route.getRouteConfigurationId() != null) {
                assertThat(configurations).as("routeConfigurationId of %s", route.getRouteId())
                        .contains(route.getRouteConfigurationId());
            }
        }
    }

    @Test
    void anUnknownKeyFailsNamingIt() {
        String yaml = """
                - route:
                    id: misspelt
                    from:
                      uri: "timer:tick"
                      steps:
                        - to:
                            urii: "log:x"
                """;
        assertThatThrownBy(() -> parse(ResourceHelper.fromString("misspelt.camel.yaml", yaml)))
                .hasStackTraceContaining("urii");
    }

    /** Parses one YAML resource into its route builders' definitions, without adding them to a context. */
    private static List<RouteBuilder> parse(Resource resource) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        try {
            RoutesLoader loader = PluginHelper.getRoutesLoader(context);
            List<RouteBuilder> out = new ArrayList<>();
            for (RoutesBuilder b : loader.findRoutesBuilders(resource)) {
                RouteBuilder builder = (RouteBuilder) b;
                builder.setCamelContext(context);
                builder.configure();
                if (builder instanceof RouteConfigurationBuilder c) {
                    c.configuration();
                }
                out.add(builder);
            }
            return out;
        } finally {
            context.close();
        }
    }
}
