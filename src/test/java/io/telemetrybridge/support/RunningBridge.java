package io.telemetrybridge.support;

import io.telemetrybridge.BridgeApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The real bridge (real routes/ folder, real application.properties) started in this JVM on free ports,
 * with its own topics (a unique prefix), its own inbox folder and the heartbeat off unless asked for.
 */
public final class RunningBridge implements AutoCloseable {

    private final BridgeApplication app;
    private final int port;
    private final int managementPort;
    private final int grpcPort;
    private final Path inbox;
    private final Map<String, String> settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningBridge(Map<String, String> extra) {
        port = KafkaBroker.freePort();
        managementPort = KafkaBroker.freePort();
        grpcPort = Integer.parseInt(extra.getOrDefault("bridge.grpc.port", String.valueOf(KafkaBroker.freePort())));
        String topicPrefix = "test-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            inbox = Files.createTempDirectory("inbox-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> p = new HashMap<>();
        p.put("camel.server.port", String.valueOf(port));
        p.put("camel.management.port", String.valueOf(managementPort));
        p.put("bridge.grpc.port", String.valueOf(grpcPort));
        p.put("bridge.topics.metrics", topicPrefix + ".metrics");
        p.put("bridge.topics.traces", topicPrefix + ".traces");
        p.put("bridge.topics.logs", topicPrefix + ".logs");
        p.put("bridge.topics.dlq", topicPrefix + ".dlq");
        p.put("bridge.file.inbox", inbox.toString());
        p.put("bridge.file.quiet-period-ms", "300");
        p.put("bridge.file.poll-interval-ms", "200");
        p.put("bridge.heartbeat.enabled", "false");
        p.putAll(extra);
        if (!p.containsKey("bridge.kafka.bootstrap-servers")) {
            p.put("bridge.kafka.bootstrap-servers", KafkaBroker.bootstrapServers());
        }
        settings = Map.copyOf(p);
        app = new BridgeApplication(p).start();
    }

    /** Starts a bridge on the test broker; {@code extra} overrides any setting. */
    public static RunningBridge start(Map<String, String> extra) {
        return new RunningBridge(extra);
    }

    public static RunningBridge start() {
        return start(Map.of());
    }

    /** The topic of {@code signal} ({@code metrics}, {@code traces}, {@code logs} or {@code dlq}). */
    public String topic(String signal) {
        return settings.get("bridge.topics." + signal);
    }

    /** The topic settings of this bridge, to start another one on the same topics. */
    public Map<String, String> topicSettings() {
        Map<String, String> topics = new HashMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith("bridge.topics.")) {
                topics.put(k, v);
            }
        });
        return topics;
    }

    /** GETs {@code path} (with its query string) from the ingestion server. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    public Path inbox() {
        return inbox;
    }

    public BridgeApplication app() {
        return app;
    }

    /** POSTs {@code body} to the ingestion server. */
    public HttpResponse<String> post(String path, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code request} and keeps the answer's bytes (protobuf answers). */
    public HttpResponse<byte[]> sendBytes(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Port of the OTLP/gRPC server. */
    public int grpcPort() {
        return grpcPort;
    }

    public URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    @Override
    public void close() {
        app.close();
    }
}
