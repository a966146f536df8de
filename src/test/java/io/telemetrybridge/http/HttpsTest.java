package io.telemetrybridge.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.TestCertificates;
import io.telemetrybridge.support.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTPS from PEM files ({@code bridge.http.tls.*}): HTTP/2 and HTTP/1.1 over TLS reach the same endpoints as
 * the plain server, with the same tokens and error pages; records sent over HTTPS land on Kafka.
 */
@ExtendWith(KafkaBroker.class)
class HttpsTest {

    static final String INGEST = "https-ingest-0b5d7e";
    static TestCertificates certs;
    static RunningBridge bridge;
    static int httpsPort;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create();
        httpsPort = KafkaBroker.freePort();
        bridge = RunningBridge.start(Map.of(
                "bridge.http.tls.port", String.valueOf(httpsPort),
                "bridge.http.tls.certificate-path", certs.httpsCertificatePem().toString(),
                "bridge.http.tls.key-path", certs.httpsKeyPem().toString(),
                "bridge.http.auth.ingest.token", INGEST));
    }

    @AfterAll
    static void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    @Test
    void http2OverTlsIngestsWithTheSameTokensAndErrors() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(certs.trustingCa()).connectTimeout(Duration.ofSeconds(5)).build();
        byte[] batch = Json.resource("golden/seed/logs-batch.json");
        HttpResponse<String> denied = client.send(post("/api/v1/logs", batch, null), HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(denied.version()).isEqualTo(HttpClient.Version.HTTP_2);
        // HTTP/2 forbids connection headers: strict clients (nghttp2, curl) would reset the stream.
        assertThat(denied.headers().firstValue("connection")).isEmpty();

        long before = Topics.endOffsetSum(bridge.topic("logs"));
        HttpResponse<String> ok = client.send(post("/api/v1/logs", batch, INGEST), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.version()).isEqualTo(HttpClient.Version.HTTP_2);
        Topics.awaitRecords(bridge.topic("logs"), (int) before + 3, Duration.ofSeconds(10));
        assertThat(Topics.endOffsetSum(bridge.topic("logs"))).isEqualTo(before + 3);

        HttpResponse<String> otlp = client.send(HttpRequest.newBuilder(https("/v1/logs"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + INGEST)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.resource("fixtures/otlp/logs.json"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(otlp.statusCode()).as(otlp.body()).isEqualTo(200);

        HttpResponse<String> missing = client.send(HttpRequest.newBuilder(https("/api/v1/nothing")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.tree(missing.body()).get("status").asInt()).isEqualTo(404);
    }

    @Test
    void http11OverTlsAnswersQueries() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(certs.trustingCa()).build();
        HttpResponse<String> query = client.send(HttpRequest.newBuilder(https("/api/v1/query/logs?limit=1")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
        assertThat(query.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefused() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(https("/api/v1/query/logs")).GET().build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void settingsThatCannotServeHttpsStopTheStartUp() throws Exception {
        var encrypted = Files.writeString(certs.file("encrypted.pem"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIE\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> RunningBridge.start(Map.of("bridge.http.tls.port", "1",
                "bridge.http.tls.certificate-path", certs.file("missing.pem").toString(),
                "bridge.http.tls.key-path", encrypted.toString())))
                .hasStackTraceContaining("bridge.http.tls.certificate-path: cannot read")
                .hasStackTraceContaining("bridge.http.tls.key-path: " + encrypted + " is encrypted");
        assertThatThrownBy(() -> RunningBridge.start(Map.of(
                "bridge.http.tls.certificate-path", certs.httpsCertificatePem().toString())))
                .hasStackTraceContaining("bridge.http.tls.port is 0");
    }

    @Test
    void aKeyThatIsNotTheCertificatesOrTheSamePortAsThePlainServerStopsTheStartUp() {
        assertThatThrownBy(() -> RunningBridge.start(Map.of(
                "bridge.http.tls.port", String.valueOf(KafkaBroker.freePort()),
                "bridge.http.tls.certificate-path", certs.httpsCertificatePem().toString(),
                "bridge.http.tls.key-path", certs.clientKeyPem().toString())))
                .hasStackTraceContaining("bridge.http.tls.key-path: " + certs.clientKeyPem() + " is not the key of");
        int port = KafkaBroker.freePort();
        assertThatThrownBy(() -> RunningBridge.start(Map.of("camel.server.port", String.valueOf(port),
                "bridge.http.tls.port", String.valueOf(port),
                "bridge.http.tls.certificate-path", certs.httpsCertificatePem().toString(),
                "bridge.http.tls.key-path", certs.httpsKeyPem().toString())))
                .hasStackTraceContaining("bridge.http.tls.port: must differ from camel.server.port");
    }

    @Test
    void aPortInUseStopsTheStartUp() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            assertThatThrownBy(() -> RunningBridge.start(Map.of(
                    "bridge.http.tls.port", String.valueOf(taken.getLocalPort()),
                    "bridge.http.tls.certificate-path", certs.httpsCertificatePem().toString(),
                    "bridge.http.tls.key-path", certs.httpsKeyPem().toString())))
                    .hasStackTraceContaining("bridge.http.tls: cannot serve HTTPS on 0.0.0.0:" + taken.getLocalPort());
        }
    }

    private static URI https(String path) {
        return URI.create("https://127.0.0.1:" + httpsPort + path);
    }

    private static HttpRequest post(String path, byte[] body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(https(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }
}
