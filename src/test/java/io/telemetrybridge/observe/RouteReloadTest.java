package io.telemetrybridge.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live route reload on a running bridge whose routes are a copy of routes/ in a temporary folder: a good edit
 * takes effect without a restart and keeps the counters; a broken edit and an edit naming an unknown bean leave
 * the previous routes running and make readiness report the failure until a good version is saved.
 */
@ExtendWith(KafkaBroker.class)
class RouteReloadTest {

    @TempDir
    Path routes;

    @Test
    void goodEditsApplyAndFailedEditsKeepThePreviousRoutesAndShowInReadiness() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        Path operate = routes.resolve("operate.camel.yaml");
        String original = Files.readString(operate);
        try (RunningBridge bridge = RunningBridge.start(Map.of(
                "camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml",
                "camel.main.routes-reload-directory", routes.toString()))) {
            assertThat(bridge.post("/api/v1/metrics", "application/json",
                    Json.resource("golden/seed/metrics-batch.json")).statusCode()).isEqualTo(200);
            long accepted = stats(bridge, "/api/v1/stats").get("records_accepted").asLong();
            // Every consumer has polled once (the file consumers' first poll comes after a delay).
            await(() -> ready(bridge).statusCode() == 200, 10_000);
            assertThat(accepted).isPositive();

            // A good edit: the stats route moves to another path, within 5 s, counters kept.
            Files.writeString(operate, original.replace("\"platform-http:/api/v1/stats\"",
                    "\"platform-http:/api/v1/statistics\""));
            await(() -> bridge.get("/api/v1/statistics").statusCode() == 200, 10_000);
            assertThat(stats(bridge, "/api/v1/statistics").get("records_accepted").asLong()).isEqualTo(accepted);
            // The old path is "being reloaded" (503, retry) for a while, then no route's: 404.
            assertThat(bridge.get("/api/v1/stats").statusCode()).isIn(503, 404);
            await(() -> bridge.get("/api/v1/stats").statusCode() == 404, 15_000);
            await(() -> ready(bridge).statusCode() == 200, 10_000);
            String good = Files.readString(operate);

            // An edit that does not parse: rejected, the routes of before keep answering, readiness says why.
            Files.writeString(operate, good + "\n- route: [ this is { not yaml\n");
            // (Readiness can also dip while Camel restarts a route: wait for this check's own message.)
            await(() -> ready(bridge).body().contains("was not applied"), 10_000);
            HttpResponse<String> down = ready(bridge);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("routes-reload").contains("operate.camel.yaml");
            assertThat(bridge.get("/api/v1/statistics").statusCode()).isEqualTo(200);
            assertThat(bridge.post("/api/v1/metrics", "application/json",
                    Json.resource("golden/seed/metrics-batch.json")).statusCode()).isEqualTo(200);

            // A good version again: readiness is back.
            Files.writeString(operate, good);
            await(() -> ready(bridge).statusCode() == 200, 10_000);

            // An edit that parses but names a bean that does not exist: the cluster route is put back as it was.
            Files.writeString(operate, good.replace("ref: operateApi\n            method: cluster",
                    "ref: noSuchBean\n            method: cluster"));
            await(() -> ready(bridge).body().contains("noSuchBean"), 10_000);
            assertThat(ready(bridge).statusCode()).isEqualTo(503);
            await(() -> bridge.get("/api/v1/cluster").statusCode() == 200, 5_000);
            assertThat(bridge.get("/api/v1/statistics").statusCode()).isEqualTo(200);

            Files.writeString(operate, good);
            await(() -> ready(bridge).statusCode() == 200, 10_000);
            assertThat(bridge.get("/api/v1/cluster").statusCode()).isEqualTo(200);

            // The ingestion routes reload too: the logs route moves to another path.
            Path http = routes.resolve("ingest-http.camel.yaml");
            Files.writeString(http, Files.readString(http).replace("\"platform-http:/api/v1/logs\"",
                    "\"platform-http:/api/v1/logs-moved\""));
            await(() -> bridge.post("/api/v1/logs-moved", "application/json",
                    Json.resource("golden/seed/logs-batch.json")).statusCode() == 200, 10_000);
            assertThat(bridge.post("/api/v1/metrics", "application/json",
                    Json.resource("golden/seed/metrics-batch.json")).statusCode()).isEqualTo(200);
        }
    }

    static JsonNode stats(RunningBridge bridge, String path) {
        HttpResponse<String> r = bridge.get(path);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.tree(r.body());
    }

    static HttpResponse<String> ready(RunningBridge bridge) {
        return bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health/ready")).GET().build());
    }

    static void await(BooleanSupplier condition, long ms) {
        long deadline = System.currentTimeMillis() + ms;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("condition within %d ms", ms).isLessThan(deadline);
            Topics.sleep(200);
        }
    }
}
