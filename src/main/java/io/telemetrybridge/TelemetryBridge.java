package io.telemetrybridge;

import io.telemetrybridge.kafka.RecordTail;
import java.util.Arrays;
import java.util.Map;

/**
 * Entry point of {@code telemetry-bridge.jar}. Without arguments it runs the bridge; {@code tail TOPIC ...}
 * prints the records of a topic (see {@link RecordTail}).
 */
public final class TelemetryBridge {

    private TelemetryBridge() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("tail")) {
            System.exit(RecordTail.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        int exit = new BridgeApplication(Map.of()).run();
        // Kafka client and broker threads are not daemons: leave no half-stopped JVM behind.
        System.exit(exit);
    }
}
