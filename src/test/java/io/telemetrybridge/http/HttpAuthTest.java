package io.telemetrybridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Token-protected endpoints: senders hold ingestion tokens, readers read tokens, neither opens the other's
 * endpoints; probes and scrapers on the management port need none; CORS answers only the allowed origin.
 */
@ExtendWith(KafkaBroker.class)
class HttpAuthTest {

    static final String INGEST = "ingest-7f3c2b9e41d0";
    static final String READ = "read-c18e5a77d2f6";
    static RunningBridge bridge;
    static io.telemetrybridge.support.LogCapture capture;
    /** Every log line the bridge writes while this class runs. */
    static java.util.List<String> LOG;

    @BeforeAll
    static void start() {
        capture = io.telemetrybridge.support.LogCapture.start("capture");
        LOG = capture.lines();
        bridge = RunningBridge.start(Map.of("bridge.http.auth.ingest.token", "other-ingest-token," + INGEST,
                "bridge.http.auth.read.token", READ, "bridge.http.cors.allowed-origins", "https://app.example.com"));
    }

    @AfterAll
    static void stop() {
        bridge.close();
        capture.close();
    }

    @Test
    void ingestionNeedsAnIngestToken() {
        byte[] batch = Json.resource("golden/seed/metrics-batch.json");
        HttpResponse<String> none = post("/api/v1/metrics", null, batch);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"ingest\"");
        assertThat(Json.tree(none.body()).get("status").asInt()).isEqualTo(401);
        assertThat(post("/api/v1/metrics", "Bearer wrong", batch).statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/metrics", "Bearer " + READ, batch).statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/metrics", "Bearer " + INGEST, batch).statusCode()).isEqualTo(200);
        assertThat(post("/api/v1/metrics", "bearer " + INGEST, batch).statusCode()).isEqualTo(200);
        HttpResponse<String> apiKey = bridge.send(HttpRequest.newBuilder(bridge.uri("/api/v1/metrics"))
                .header("Content-Type", "application/json").header("X-API-Key", INGEST)
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch)).build());
        assertThat(apiKey.statusCode()).isEqualTo(200);
    }

    @Test
    void otlpWithoutATokenGetsAnUnauthenticatedStatus() throws Exception {
        HttpResponse<byte[]> response = bridge.sendBytes(HttpRequest.newBuilder(bridge.uri("/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.resource("fixtures/otlp/trace.protobuf-bin")))
                .build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Status.parseFrom(response.body()).getCode()).isEqualTo(Code.UNAUTHENTICATED_VALUE);
        HttpResponse<byte[]> ok = bridge.sendBytes(HttpRequest.newBuilder(bridge.uri("/v1/traces"))
                .header("Content-Type", "application/x-protobuf").header("Authorization", "Bearer " + INGEST)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.resource("fixtures/otlp/trace.protobuf-bin")))
                .build());
        assertThat(ok.statusCode()).isEqualTo(200);
    }

    @Test
    void readsNeedAReadTokenAndASenderCannotRead() {
        for (String path : new String[] {"/api/v1/query/logs", "/api/v1/traces/5b8efff798038103d269b633813fc60c",
                "/api/v1/stats", "/api/v1/cluster", "/api/v1/topics"}) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, "Bearer " + INGEST).statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, "Bearer " + READ).statusCode()).as(path).isIn(200, 404);
        }
    }

    @Test
    void aRouteAddedWithoutAGroupNeedsTheReadTokenAndOneInGroupOpenNone() throws Exception {
        bridge.app().context().addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/api/v1/custom-report").routeId("custom-report").setBody(constant("{}"));
                from("platform-http:/api/v1/custom-public").routeId("custom-public").routeGroup("open")
                        .setBody(constant("{}"));
                from("platform-http:/custom/hello").routeId("custom-outside").setBody(constant("{}"));
            }
        });
        try {
            // Any path, any method: outside /v1 and /api too, and OPTIONS is no way around the token.
            assertThat(get("/custom/hello", null).statusCode()).isEqualTo(401);
            assertThat(get("/custom/hello", "Bearer " + READ).statusCode()).isEqualTo(200);
            assertThat(bridge.send(HttpRequest.newBuilder(bridge.uri("/api/v1/custom-report"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(401);
            assertThat(get("/api/v1/custom-report", null).statusCode()).isEqualTo(401);
            assertThat(get("/api/v1/custom-report", "Bearer " + INGEST).statusCode()).isEqualTo(401);
            assertThat(get("/api/v1/custom-report", "Bearer " + READ).statusCode()).isEqualTo(200);
            assertThat(get("/api/v1/custom-public", null).statusCode()).isEqualTo(200);
        } finally {
            for (String id : new String[] {"custom-report", "custom-public", "custom-outside"}) {
                bridge.app().context().getRouteController().stopRoute(id);
                bridge.app().context().removeRoute(id);
            }
        }
    }

    @Test
    void aPathIsJudgedAsVertxRoutesItNormalisedAndWithoutItsTrailingSlash() throws Exception {
        // A sender's token must not read through dot segments, nor a reader's write through a trailing slash.
        assertThat(rawStatus("GET", "/v1/../api/v1/stats", INGEST)).isEqualTo(401);
        assertThat(rawStatus("GET", "/v1/%2e%2e/api/v1/topics", INGEST)).isEqualTo(401);
        assertThat(rawStatus("GET", "/v1/../api/v1/stats", READ)).isEqualTo(200);
        assertThat(rawStatus("POST", "/api/v1/metrics/", READ)).isEqualTo(401);
        assertThat(rawStatus("POST", "/api/v1/../../v1/traces", READ)).isEqualTo(401);
    }

    /** The status of a request sent byte for byte as written (no client normalises its path). */
    static int rawStatus(String method, String path, String token) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", bridge.uri("/").getPort())) {
            socket.setSoTimeout(10_000);
            String body = method.equals("POST") ? "{}" : "";
            String request = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body;
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void probesAndScrapersNeedNoToken() {
        for (String path : new String[] {"/observe/health/live", "/observe/metrics"}) {
            assertThat(bridge.send(HttpRequest.newBuilder(bridge.managementUri(path)).GET().build()).statusCode())
                    .as(path).isEqualTo(200);
        }
    }

    @Test
    void noAnswerRepeatsAToken() {
        HttpResponse<String> wrong = post("/api/v1/metrics", "Bearer " + READ, new byte[0]);
        assertThat(wrong.body()).doesNotContain(READ).doesNotContain(INGEST);
        assertThat(wrong.headers().map().toString()).doesNotContain(READ);
        assertThat(get("/api/v1/stats", "Bearer " + READ).body()).doesNotContain(READ).doesNotContain(INGEST);
        assertThat(LOG).as("log lines").isNotEmpty().noneMatch(l -> l.contains(READ) || l.contains(INGEST));
        assertThat(LOG).anyMatch(l -> l.contains("bridge.http.auth.ingest.token"));
    }

    @Test
    void corsAnswersTheAllowedOriginOnly() {
        HttpResponse<String> preflight = bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/traces"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,authorization").build());
        assertThat(preflight.statusCode()).isBetween(200, 204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(String.join(",", preflight.headers().allValues("Vary"))).contains("Origin");
        HttpResponse<String> read = bridge.send(HttpRequest.newBuilder(bridge.uri("/api/v1/stats"))
                .header("Origin", "https://app.example.com").header("Authorization", "Bearer " + READ).build());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(read.headers().allValues("Vary")).as("Vary on %s", read.headers().map()).isNotEmpty()
                .allMatch(v -> v.contains("Origin"));

        HttpResponse<String> other = bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/traces"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example.org").header("Access-Control-Request-Method", "POST").build());
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    static HttpResponse<String> post(String path, String authorization, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(bridge.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return bridge.send(b.build());
    }

    static HttpResponse<String> get(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(bridge.uri(path)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return bridge.send(b.build());
    }
}
