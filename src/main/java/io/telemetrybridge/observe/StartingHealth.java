package io.telemetrybridge.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port's health answers while the bridge starts and its HTTP servers are not up yet (the embedded
 * broker recovering its log after a crash, topics being checked on a slow cluster): liveness
 * ({@code /observe/health/live}) answers 200 UP, so a probe does not kill a process that is only starting;
 * readiness and everything else answer 503 DOWN with the reason. A plain JDK server, closed when Kafka is
 * connected, before Camel's own management server takes the port (about a second later, while the routes load). Does nothing when the port cannot be bound (Camel reports that later).
 */
public final class StartingHealth implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StartingHealth.class);

    private final HttpServer server;

    private StartingHealth(HttpServer server) {
        this.server = server;
    }

    /**
     * Serves the answers above on {@code host:port} until {@link #close}.
     *
     * @param reason why the bridge is not ready yet, for the readiness answer
     */
    public static StartingHealth serve(String host, int port, String reason) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException | RuntimeException e) {
            LOG.debug("No health answers during start-up on {}:{}: {}", host, port, e.getMessage());
            return new StartingHealth(null);
        }
        String down = "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"start-up\",\"status\":\"DOWN\",\"message\":\""
                + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}]}";
        server.createContext("/", exchange -> {
            boolean live = exchange.getRequestURI().getPath().equals("/observe/health/live");
            answer(exchange, live ? 200 : 503, live ? "{\"status\":\"UP\"}" : down);
        });
        server.start();
        return new StartingHealth(server);
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Frees the port at once; safe to call more than once. */
    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
