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
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
