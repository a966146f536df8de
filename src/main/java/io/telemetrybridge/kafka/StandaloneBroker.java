package io.telemetrybridge.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar telemetry-bridge.jar broker [--port 9092] [--controller-port 9093] [--data-dir data/kafka]}:
 * runs only the embedded single-node Kafka broker, in its own process, until SIGTERM or Ctrl-C. A Kafka for
 * trying the bridge against "your own cluster" and for the benchmark, where the broker must not share the
 * bridge's process (its CPU would be counted as the bridge's).
 */
public final class StandaloneBroker {

    private StandaloneBroker() {}

    /** @return the process exit code: 0 after a clean stop, 2 for bad arguments */
    public static int run(String[] args) throws InterruptedException {
        int port = 9092;
        int controllerPort = 9093;
        Path dataDir = Path.of("data/kafka");
        try {
            for (int i = 0; i < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(value);
                    case "--controller-port" -> controllerPort = Integer.parseInt(value);
                    case "--data-dir" -> dataDir = Path.of(value);
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("usage: java -jar telemetry-bridge.jar broker [--port 9092] [--controller-port 9093]"
                    + " [--data-dir data/kafka]");
            return 2;
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, port, controllerPort);
        broker.start();
        System.out.println("Kafka broker listening on " + broker.bootstrapServers() + " (data in " + dataDir
                + "); stop with Ctrl-C");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }, "broker-stop"));
        stopped.await();
        return 0;
    }
}
