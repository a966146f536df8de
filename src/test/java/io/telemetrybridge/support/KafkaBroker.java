package io.telemetrybridge.support;

import io.telemetrybridge.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node KRaft broker for the whole test run: started by the first test class that uses this
 * extension, stopped when the run ends. It is the product's own {@link EmbeddedKafkaBroker}, on free ports
 * and a fresh directory.
 */
public final class KafkaBroker implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KafkaBroker.class);

    public static String bootstrapServers() {
        Holder h = holder;
        if (h == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(KafkaBroker.class)");
        }
        return h.broker.bootstrapServers();
    }

    private static volatile Holder holder;

    @Override
    public void beforeAll(ExtensionContext context) {
        holder = context.getRoot().getStore(NS).getOrComputeIfAbsent("broker", key -> new Holder(), Holder.class);
    }

    /** Picks a port that was free a moment ago. */
    /** Ports this JVM handed out already: the OS may offer a closed one again, and two servers cannot share it. */
    private static final java.util.Set<Integer> GIVEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A port free now and not handed out before by this JVM. */
    public static int freePort() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                if (GIVEN.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final class Holder implements ExtensionContext.Store.CloseableResource {
        final EmbeddedKafkaBroker broker;

        Holder() {
            try {
                Path dir = Files.createTempDirectory("test-kafka-");
                broker = new EmbeddedKafkaBroker(dir, freePort(), freePort());
                broker.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            broker.stop();
        }
    }
}
