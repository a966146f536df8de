package io.telemetrybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.support.BridgeJar;
import io.telemetrybridge.support.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, started as a user starts it ({@code java -jar}, in a folder holding only {@code routes/}),
 * on its own embedded broker: it accepts the README's example, the jar's {@code tail} command shows the
 * records, and it stops cleanly on SIGTERM. Catches what unit tests cannot: a dependency missing from the jar.
 */
class PackagedJarIT {

    private static final Path JAR = BridgeJar.JAR;
    private static final Path PROJECT = BridgeJar.PROJECT;

    @Test
    void jarRunsOnItsEmbeddedBrokerAcceptsTheReadmeExampleAndTailShowsTheRecords() throws Exception {
        Path workDir = Files.createTempDirectory("jar-run-");
        BridgeJar.copyRoutes(workDir);
        int kafkaPort = KafkaBroker.freePort();
        int httpPort = KafkaBroker.freePort();
        int managementPort = KafkaBroker.freePort();
        Path log = workDir.resolve("bridge.log");
        Process bridge = BridgeJar.start(workDir, "bridge.kafka.embedded.port=" + kafkaPort, "camel.server.port=" + httpPort,
                "camel.management.port=" + managementPort, "bridge.heartbeat.enabled=false");
        try {
            BridgeJar.awaitReady(managementPort);
            HttpResponse<String> response = post(httpPort,
                    Files.readAllBytes(PROJECT.resolve("examples/metrics-batch.json")));
            assertThat(response.statusCode()).as(Files.readString(log)).isEqualTo(200);
            assertThat(response.body()).contains("\"records_written\":2");
            assertThat(Files.readString(log)).contains("started the embedded Kafka broker on 127.0.0.1:" + kafkaPort);
            assertThat(workDir.resolve("data/kafka/meta.properties")).exists();

            Process tail = new ProcessBuilder(BridgeJar.java(), "-jar", JAR.toString(), "tail", "telemetry.metrics",
                    "--bootstrap-servers", "127.0.0.1:" + kafkaPort).redirectErrorStream(false).start();
            String out = new String(tail.getInputStream().readAllBytes());
            assertThat(tail.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(tail.exitValue()).isZero();
            List<String> lines = out.lines().filter(l -> l.startsWith("{")).toList();
            assertThat(lines).hasSize(2);
            assertThat(lines).anySatisfy(l -> assertThat(l)
                    .contains("\"key\":\"cpu_usage{host=web-1,region=eu-west-1}\"")
                    .contains("\"telemetry.signal\":\"metrics\"")
                    .contains("\"value\":{\"Gauge\":75.5}"));
        } finally {
            bridge.destroy();
        }
        assertThat(bridge.waitFor(30, TimeUnit.SECONDS)).as("bridge stops within 30 s of SIGTERM").isTrue();
        assertThat(Files.readString(log)).contains("Embedded Kafka broker on 127.0.0.1:" + kafkaPort + " stopped");
    }

    @Test
    void invalidSettingStopsTheStartWithTheKeyNamedAndTheJvmExits() throws Exception {
        Path workDir = Files.createTempDirectory("jar-bad-config-");
        BridgeJar.copyRoutes(workDir);
        Path log = workDir.resolve("bridge.log");
        Process bridge = BridgeJar.start(workDir, "bridge.topics.partitions=zero");

        assertThat(bridge.waitFor(60, TimeUnit.SECONDS)).as("JVM exits after a failed start").isTrue();
        assertThat(bridge.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("bridge.topics.partitions: expected a positive integer, got 'zero'");
    }

    @Test
    void startedOutsideTheProjectFolderItSaysWhereToRunItFrom() throws Exception {
        Path workDir = Files.createTempDirectory("jar-no-routes-");
        Path log = workDir.resolve("bridge.log");
        Process bridge = BridgeJar.start(workDir);

        assertThat(bridge.waitFor(90, TimeUnit.SECONDS)).as("JVM exits after a failed start").isTrue();
        assertThat(bridge.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("run the bridge from the folder that holds routes/");
    }

    @Test
    void brokenRouteFileAfterTheBrokerStartedStillLetsTheJvmExit() throws Exception {
        Path workDir = Files.createTempDirectory("jar-bad-route-");
        BridgeJar.copyRoutes(workDir);
        Files.writeString(workDir.resolve("routes/broken.camel.yaml"),
                "- route:\n    id: broken\n    from:\n      uri: \"nosuchcomponent:x\"\n      steps: []\n");
        int kafkaPort = KafkaBroker.freePort();
        Path log = workDir.resolve("bridge.log");
        Process bridge = BridgeJar.start(workDir, "bridge.kafka.embedded.port=" + kafkaPort);

        assertThat(bridge.waitFor(90, TimeUnit.SECONDS)).as("JVM exits after a failed start").isTrue();
        assertThat(bridge.exitValue()).isNotZero();
        String output = Files.readString(log);
        assertThat(output).contains("started the embedded Kafka broker").contains("nosuchcomponent")
                .contains("Embedded Kafka broker on 127.0.0.1:" + kafkaPort + " stopped");
    }

    private static HttpResponse<String> post(int port, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/metrics"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
