package io.telemetrybridge;

import io.telemetrybridge.config.BridgeSettings;
import io.telemetrybridge.kafka.RecordTail;
import io.telemetrybridge.kafka.StandaloneBroker;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code telemetry-bridge.jar}. Without arguments it runs the bridge; {@code tail TOPIC ...}
 * prints the records of a topic (see {@link RecordTail}).
 */
public final class TelemetryBridge {

    private TelemetryBridge() {}

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = root(e);
        String message = String.valueOf(e.getMessage());
        return root == e || message.contains(String.valueOf(root.getMessage())) ? message
                : message + " (cause: " + root.getMessage() + ")";
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("tail")) {
            BridgeSettings settings;
            try {
                settings = BridgeApplication.settings();
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                System.exit(2);
                return;
            }
            System.exit(RecordTail.run(Arrays.copyOfRange(args, 1, args.length), settings.kafka().clientBootstrap(),
                    settings.kafka().security().clientProperties()));
        }
        if (args.length > 0 && args[0].equals("broker")) {
            System.exit(StandaloneBroker.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0) {
            System.out.println("""
                    usage: java -jar telemetry-bridge.jar            run the bridge (from the folder holding routes/)
                           java -jar telemetry-bridge.jar tail TOPIC [--bootstrap-servers HOST:PORT] [--follow]
                           java -jar telemetry-bridge.jar broker [--port 9092] [--controller-port 9093]
                                                                 [--data-dir data/kafka]
                    Settings: application.properties, -Dkey=value or environment variables; see docs/configuration.md.""");
            System.exit(args[0].equals("--help") || args[0].equals("-h") ? 0 : 2);
        }
        int exit;
        try {
            exit = new BridgeApplication(Map.of()).run();
        } catch (Exception e) {
            String hint = root(e) instanceof NoSuchFileException
                    ? " (run the bridge from the folder that holds routes/, or set camel.main.routes-include-pattern)"
                    : "";
            LoggerFactory.getLogger(TelemetryBridge.class).error("Telemetry Bridge could not start: {}{}",
                    rootMessage(e), hint);
            exit = 1;
        }
        // Kafka client and broker threads are not daemons: leave no half-stopped JVM behind.
        System.exit(exit);
    }
}
