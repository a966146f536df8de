package io.telemetrybridge.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The packaged jar run as a user runs it: its own process, in a working folder, configured with -D. */
public final class BridgeJar {

    public static final Path JAR = Path.of(System.getProperty("test.bridge.jar", "target/telemetry-bridge.jar"))
            .toAbsolutePath();
    public static final Path PROJECT = Path.of("").toAbsolutePath();

    private BridgeJar() {}

    /**
     * Starts the jar in {@code workDir}, its output appended to {@code workDir/bridge.log}; every port on a free
     * one unless {@code properties} ({@code key=value}, passed as {@code -D}) name it.
     */
    public static Process start(Path workDir, String... properties) throws IOException {
        return start(workDir, List.of(), properties);
    }

    /** As {@link #start(Path, String...)}, with JVM options ({@code -Xmx256m}) before {@code -jar}. */
    public static Process start(Path workDir, List<String> jvmOptions, String... properties) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        for (String port : List.of("bridge.kafka.embedded.port", "bridge.kafka.embedded.controller-port",
                "camel.server.port", "camel.management.port", "bridge.grpc.port")) {
            p.put(port, String.valueOf(KafkaBroker.freePort()));
        }
        for (String kv : properties) {
            p.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        p.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", JAR.toString()));
        return new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("bridge.log").toFile())).start();
    }

    /** Waits for the readiness probe: the HTTP servers listen before the routes are added. */
    public static void awaitReady(int managementPort) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/observe/health/ready")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep waiting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("bridge not ready within 90 s");
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A new working folder holding a copy of the project's routes/. */
    public static Path workDir(String prefix) throws IOException {
        Path workDir = Files.createTempDirectory(prefix);
        copyRoutes(workDir);
        return workDir;
    }

    /** Copies the project's routes/ into {@code workDir}. */
    public static void copyRoutes(Path workDir) throws IOException {
        Path from = PROJECT.resolve("routes");
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(from)) {
            walk.forEach(paths::add);
        }
        for (Path p : paths) {
            Path target = workDir.resolve("routes").resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(target);
            } else {
                Files.copy(p, target);
            }
        }
    }
}
