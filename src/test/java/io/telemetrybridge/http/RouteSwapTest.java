package io.telemetrybridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.NumberedBatches;
import io.telemetrybridge.support.RunningBridge;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request the HTTP router routes in the instant a live reload has taken a path's old Vert.x route away and not
 * yet added the new one, while the Camel route already serves the path again: the client must be told to retry
 * (503, Retry-After, UNAVAILABLE), not 405 "only POST is allowed" for its own POST (seen in CI on 2026-12-02 in
 * OperationsUnderLoadTest). The window is reproduced by disabling the Vert.x route while the Camel route runs.
 */
@ExtendWith(KafkaBroker.class)
class RouteSwapTest {

    @Test
    void aPostTheRouterMissedWhileARouteIsSwappedIs503AndServedOnceItIsBack() throws Exception {
        try (RunningBridge bridge = RunningBridge.start()) {
            CamelContext context = bridge.app().context();
            List<Route> logs = context.hasService(MainHttpServer.class).getRouter().getRoutes().stream()
                    .filter(r -> "/v1/logs".equals(r.getPath()) && r.methods() != null
                            && r.methods().contains(HttpMethod.POST))
                    .toList();
            assertThat(logs).as("Vert.x routes of POST /v1/logs").isNotEmpty();
            byte[] body = NumberedBatches.otlpLogs(1, 2);

            logs.forEach(Route::disable);
            HttpResponse<byte[]> missed = bridge.sendBytes(HttpRequest.newBuilder(bridge.uri("/v1/logs"))
                    .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build());
            assertThat(missed.statusCode()).isEqualTo(503);
            assertThat(missed.headers().firstValue("Retry-After")).isPresent();
            // A protobuf request gets a protobuf google.rpc.Status (OTLP/HTTP spec, "Failures").
            com.google.rpc.Status status = com.google.rpc.Status.parseFrom(missed.body());
            assertThat(status.getCode()).isEqualTo(com.google.rpc.Code.UNAVAILABLE_VALUE);
            assertThat(status.getMessage()).contains("/v1/logs is being reloaded");
            assertThat(bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/logs")).GET().build())
                    .statusCode()).as("a method no route serves there is still 405").isEqualTo(405);

            logs.forEach(Route::enable);
            HttpResponse<String> served = bridge.post("/v1/logs", "application/x-protobuf", body);
            assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        }
    }
}
