package io.telemetrybridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Content codings on the seed API as on OTLP/HTTP: gzip is read, another coding is a 415 (never a body read as
 * if it were plain), and a body that inflates past bridge.http.max-decompressed-bytes is a 413 naming that
 * limit, also when the JSON is one huge string (Jackson's own string limit must not turn it into a 400).
 */
@ExtendWith(KafkaBroker.class)
class ContentCodingTest {

    private static RunningBridge bridge;

    @BeforeAll
    static void start() {
        bridge = RunningBridge.start(Map.of("bridge.http.max-decompressed-bytes", "2000000"));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @Test
    void aGzipSeedBatchIsReadAndPublished() throws Exception {
        long before = Topics.endOffsetSum(bridge.topic("metrics"));
        HttpResponse<String> r = post("/api/v1/metrics", "application/json", "gzip",
                gzip(Json.resource("golden/seed/metrics-batch.json")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Topics.endOffsetSum(bridge.topic("metrics"))).isGreaterThan(before);
    }

    @Test
    void anUnreadableCodingIs415AndNothingIsPublished() {
        long before = Topics.endOffsetSum(bridge.topic("metrics"));
        HttpResponse<String> r = post("/api/v1/metrics", "application/json", "br",
                Json.resource("golden/seed/metrics-batch.json"));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.body()).contains("br");
        assertThat(Topics.endOffsetSum(bridge.topic("metrics"))).isEqualTo(before);
    }

    @Test
    void aGzipBombOfOneHugeStringIs413NamingTheDecompressedLimit() throws Exception {
        String huge = "{\"id\":\"0b4f5a3e-6f0c-4d5e-8f7a-1b2c3d4e5f60\",\"timestamp\":\"2025-01-01T00:00:00Z\","
                + "\"logs\":[{\"timestamp\":\"2025-01-01T00:00:00Z\",\"level\":\"Info\",\"message\":\""
                + "a".repeat(30_000_000) + "\"}]}";
        byte[] bomb = gzip(huge.getBytes(StandardCharsets.UTF_8));
        for (String[] endpoint : new String[][] {{"/api/v1/logs", "application/json"}, {"/v1/logs", "application/json"}}) {
            HttpResponse<String> r = post(endpoint[0], endpoint[1], "gzip", bomb);
            assertThat(r.statusCode()).as(endpoint[0] + ": " + r.body()).isEqualTo(413);
            assertThat(r.body()).as(endpoint[0]).contains("bridge.http.max-decompressed-bytes")
                    .doesNotContain("nested");
        }
    }

    private static HttpResponse<String> post(String path, String type, String coding, byte[] body) {
        return bridge.send(HttpRequest.newBuilder(bridge.uri(path)).header("Content-Type", type)
                .header("Content-Encoding", coding).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static byte[] gzip(byte[] plain) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }
}
