package io.telemetrybridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.support.BridgeJar;
import io.telemetrybridge.support.KafkaBroker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar on its embedded broker: while the broker starts (before Camel's servers listen), the management
 * port already answers liveness 200 and readiness 503, so a liveness probe does not kill a bridge that is only
 * starting (a broker recovering its log after {@code kill -9} takes seconds); once started, readiness is 200.
 */
class StartupLivenessIT {

    @Test
    void livenessAnswersWhileTheEmbeddedBrokerStarts() throws Exception {
        Path workDir = BridgeJar.workDir("startup-liveness");
        int management = KafkaBroker.freePort();
        int server = KafkaBroker.freePort();
        Process bridge = BridgeJar.start(workDir, "camel.management.port=" + management,
                "camel.server.port=" + server);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        boolean liveBeforeServer = false;
        boolean readyRefusedMeanwhile = false;
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !listening(server)) {
                Integer live = status(http, management, "/observe/health/live");
                Integer ready = status(http, management, "/observe/health/ready");
                if (live != null && live == 200 && !listening(server)) {
                    liveBeforeServer = true;
                    readyRefusedMeanwhile |= ready != null && ready == 503;
                }
                Thread.sleep(50);
            }
            assertThat(liveBeforeServer).as("liveness 200 while the ingestion port was still closed").isTrue();
            assertThat(readyRefusedMeanwhile).as("readiness 503 meanwhile").isTrue();
            BridgeJar.awaitReady(management);
            assertThat(status(http, management, "/observe/health/live")).isEqualTo(200);
        } finally {
            bridge.destroy();
            bridge.waitFor();
        }
    }

    private static Integer status(HttpClient http, int port, String path) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notListening) {
            return null;
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
