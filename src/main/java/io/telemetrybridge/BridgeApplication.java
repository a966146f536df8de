package io.telemetrybridge;

import io.telemetrybridge.config.BridgeConfiguration;
import io.telemetrybridge.config.BridgeSettings;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;

/**
 * One bridge: Camel Main with the bridge's configuration. Settings come from the {@code application.properties}
 * inside the jar (defaults), then the file named by system property {@code bridge.config} or environment
 * variable {@code BRIDGE_CONFIG} (default {@code application.properties} in the working directory), then
 * system properties and environment variables, then {@code overrides}.
 */
public final class BridgeApplication implements AutoCloseable {

    private static final String LOCATIONS = "classpath:application.properties;optional=true,";

    private final Main main = new Main();
    private final BridgeConfiguration configuration = new BridgeConfiguration();

    public BridgeApplication(Map<String, String> overrides) {
        main.configure().addConfiguration(configuration);
        main.setPropertyPlaceholderLocations(LOCATIONS + userConfig());
        overrides.forEach(main::addOverrideProperty);
    }

    /** Runs until the JVM is asked to stop (SIGINT/SIGTERM); stops Camel first, then the embedded broker. */
    public int run() throws Exception {
        try {
            main.run();
            return main.getExitCode();
        } finally {
            configuration.close();
        }
    }

    /** Starts without blocking (tests); on failure nothing is left running. */
    public BridgeApplication start() {
        try {
            main.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        try {
            main.stop();
        } finally {
            configuration.close();
        }
    }

    /**
     * The settings a bridge started now would read (the same files, system properties and environment), without
     * starting anything: for the command-line tools.
     *
     * @throws IllegalArgumentException naming every bad key, as at start-up
     */
    public static BridgeSettings settings() {
        // Only its properties component is used: the context is never started, so there is nothing to close.
        DefaultCamelContext context = new DefaultCamelContext(false);
        context.getPropertiesComponent().setLocation(LOCATIONS + userConfig());
        return BridgeSettings.from(context.getPropertiesComponent());
    }

    private static String userConfig() {
        String chosen = System.getProperty("bridge.config", System.getenv("BRIDGE_CONFIG"));
        // The default file may be absent; a file the user named must exist.
        return chosen == null || chosen.isBlank() ? "file:application.properties;optional=true" : "file:" + chosen;
    }
}
