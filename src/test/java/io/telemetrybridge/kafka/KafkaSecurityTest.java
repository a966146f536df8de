package io.telemetrybridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.LogCapture;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.TestCertificates;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bridge against a real broker that requires SASL_SSL (SCRAM users created through the AdminClient) on one
 * listener and mutual TLS on another, with certificates made at test time: it ingests and queries through both,
 * and a wrong password or an untrusted broker certificate gives a clear reason (log and readiness), not a hang.
 * No secret appears in the log or in any answer.
 */
class KafkaSecurityTest {

    static final String PASSWORD = "scram-pass-5e0c47a1b9";
    static final String WRONG_PASSWORD = "wrong-pass-81f2c6d0aa";

    static TestCertificates certs;
    static EmbeddedKafkaBroker broker;
    static int saslPort;
    static int mtlsPort;
    static LogCapture capture;
    static List<String> LOG;

    @BeforeAll
    static void start() throws Exception {
        capture = LogCapture.start("capture-security");
        LOG = capture.lines();
        certs = TestCertificates.create();
        int port = KafkaBroker.freePort();
        saslPort = KafkaBroker.freePort();
        mtlsPort = KafkaBroker.freePort();
        int controller = KafkaBroker.freePort();
        Map<String, String> secure = new HashMap<>();
        // SASL binds every interface, so that 127.0.0.2 (a name the broker's certificate does not hold) reaches it.
        secure.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller
                + ",SASL://:" + saslPort + ",MTLS://127.0.0.1:" + mtlsPort);
        secure.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",SASL://127.0.0.1:" + saslPort
                + ",MTLS://127.0.0.1:" + mtlsPort);
        secure.put("listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL:SASL_SSL,MTLS:SSL");
        secure.put("sasl.enabled.mechanisms", "SCRAM-SHA-512,SCRAM-SHA-256,PLAIN");
        String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
        secure.put("listener.name.sasl.scram-sha-512.sasl.jaas.config", scram);
        secure.put("listener.name.sasl.scram-sha-256.sasl.jaas.config", scram);
        secure.put("listener.name.sasl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_plain-user=\"" + PASSWORD
                        + "\";");
        secure.put("ssl.keystore.type", "PKCS12");
        secure.put("ssl.keystore.location", certs.brokerKeyStore().toString());
        secure.put("ssl.keystore.password", TestCertificates.STORE_PASSWORD);
        secure.put("ssl.key.password", TestCertificates.STORE_PASSWORD);
        secure.put("listener.name.mtls.ssl.client.auth", "required");
        secure.put("listener.name.mtls.ssl.truststore.type", "PEM");
        secure.put("listener.name.mtls.ssl.truststore.location", certs.caPem().toString());
        broker = new EmbeddedKafkaBroker(Files.createTempDirectory("secure-kafka-"), port, controller, secure);
        broker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("bridge",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), PASSWORD),
                    new UserScramCredentialUpsertion("bridge-256",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), PASSWORD))).all().get();
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.stop();
        }
        capture.close();
    }

    @Test
    void scramOverTlsIngestsAndQueries() throws Exception {
        Path passwordFile = certs.file("kafka-password");
        Files.writeString(passwordFile, PASSWORD + "\n", StandardCharsets.UTF_8);
        try (RunningBridge bridge = RunningBridge.start(saslSettings(Map.of(
                "bridge.kafka.sasl.password-file", passwordFile.toString())))) {
            assertWritesAndReadsBack(bridge);
            awaitReady(bridge);
            HttpResponse<String> topics = bridge.get("/api/v1/topics");
            assertThat(topics.statusCode()).isEqualTo(200);
            assertThat(topics.body()).contains(bridge.topic("logs")).doesNotContain(PASSWORD);

            // tail, with the same settings, reads the topic through the SASL_SSL listener.
            Map<String, String> settings = saslSettings(Map.of("bridge.kafka.sasl.password", PASSWORD));
            List<String> errors = new java.util.ArrayList<>();
            KafkaSecurity security = KafkaSecurity.read(settings::get, Map.of(), errors);
            assertThat(errors).isEmpty();
            var out = new java.io.ByteArrayOutputStream();
            assertThat(RecordTail.print(bridge.topic("logs"), "127.0.0.1:" + saslPort, security.clientProperties(),
                    false, new java.io.PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("through secure-");
        }
        assertThat(LOG).noneMatch(line -> line.contains(PASSWORD));
        assertThat(LOG).anyMatch(line -> line.contains("Using the Kafka cluster at 127.0.0.1:" + saslPort
                + " over SASL_SSL (SCRAM-SHA-512 as 'bridge')"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"SCRAM-SHA-256, bridge-256", "PLAIN, plain-user"})
    void otherMechanismsAndAJavaTrustStoreWork(String mechanism, String user) {
        Map<String, String> p = saslSettings(Map.of("bridge.kafka.sasl.mechanism", mechanism,
                "bridge.kafka.sasl.username", user, "bridge.kafka.sasl.password", PASSWORD,
                // A trust store through the Kafka client keys instead of the PEM file.
                "bridge.kafka.client.ssl.truststore.type", "PKCS12",
                "bridge.kafka.client.ssl.truststore.location", certs.caTrustStore().toString(),
                "bridge.kafka.client.ssl.truststore.password", TestCertificates.STORE_PASSWORD));
        p.remove("bridge.kafka.ssl.ca-path");
        try (RunningBridge bridge = RunningBridge.start(p)) {
            assertWritesAndReadsBack(bridge);
        }
    }

    @Test
    void aHostNameTheCertificateDoesNotHoldIsRefusedUnlessVerifyIsOff() {
        Map<String, String> other = Map.of("bridge.kafka.bootstrap-servers", "127.0.0.2:" + saslPort,
                "bridge.kafka.sasl.password", PASSWORD, "bridge.kafka.admin-timeout-ms", "3000");
        try (RunningBridge bridge = RunningBridge.start(saslSettings(other))) {
            awaitKafkaCheck(bridge, "does not name the host");
        }
        int before = LOG.size();
        Map<String, String> unverified = new HashMap<>(other);
        unverified.put("bridge.kafka.ssl.verify", "false");
        try (RunningBridge bridge = RunningBridge.start(saslSettings(unverified))) {
            assertWritesAndReadsBack(bridge);
        }
        assertThat(LOG.subList(before, LOG.size())).anyMatch(line -> line.startsWith("bridge.kafka.ssl.verify=false"));
    }

    @Test
    void mutualTlsWithPemFilesIngestsAndQueries() {
        try (RunningBridge bridge = RunningBridge.start(Map.of(
                "bridge.kafka.bootstrap-servers", "127.0.0.1:" + mtlsPort,
                "bridge.kafka.security.protocol", "SSL",
                "bridge.kafka.ssl.ca-path", certs.caPem().toString(),
                "bridge.kafka.ssl.certificate-path", certs.clientCertificatePem().toString(),
                "bridge.kafka.ssl.key-path", certs.clientKeyPem().toString()))) {
            assertWritesAndReadsBack(bridge);
            awaitReady(bridge);
        }
    }

    @Test
    void aWrongPasswordIsNamedInTheReadinessCheckAndRequestsGet503() {
        int before = LOG.size();
        try (RunningBridge bridge = RunningBridge.start(saslSettings(Map.of(
                "bridge.kafka.sasl.password", WRONG_PASSWORD, "bridge.kafka.admin-timeout-ms", "3000")))) {
            JsonNode kafka = awaitKafkaCheck(bridge, "authentication failed");
            assertThat(kafka.get("status").asText()).isEqualTo("DOWN");
            assertThat(ready(bridge).statusCode()).isEqualTo(503);
            long start = System.nanoTime();
            HttpResponse<String> post = bridge.post("/api/v1/logs", "application/json", logBatch("denied"));
            assertThat(post.statusCode()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(post.body()).doesNotContain(WRONG_PASSWORD).doesNotContain("\tat ");
        }
        List<String> lines = LOG.subList(before, LOG.size());
        assertThat(lines).noneMatch(line -> line.contains(WRONG_PASSWORD));
        assertThat(lines).anyMatch(line -> line.contains("Could not check or create topics")
                && line.contains("refused the bridge: authentication failed"));
    }

    @Test
    void anUntrustedBrokerCertificateIsNamedInTheReadinessCheck() {
        try (RunningBridge bridge = RunningBridge.start(saslSettings(Map.of(
                "bridge.kafka.sasl.password", PASSWORD,
                "bridge.kafka.ssl.ca-path", certs.otherCaPem().toString(),
                "bridge.kafka.admin-timeout-ms", "3000")))) {
            JsonNode kafka = awaitKafkaCheck(bridge, "not signed by a CA the bridge trusts");
            assertThat(kafka.get("status").asText()).isEqualTo("DOWN");
            assertThat(ready(bridge).statusCode()).isEqualTo(503);
            // Kafka cannot take records (not the client's fault, not the bridge's): 503, so clients retry.
            HttpResponse<String> seed = bridge.post("/api/v1/logs", "application/json", logBatch("untrusted"));
            assertThat(seed.statusCode()).as(seed.body()).isEqualTo(503);
            assertThat(seed.headers().firstValue("Retry-After")).isPresent();
            HttpResponse<String> otlp = bridge.post("/v1/logs", "application/json",
                    Json.resource("fixtures/otlp/logs.json"));
            assertThat(otlp.statusCode()).as(otlp.body()).isEqualTo(503);
        }
    }

    private static Map<String, String> saslSettings(Map<String, String> extra) {
        Map<String, String> p = new HashMap<>();
        p.put("bridge.kafka.bootstrap-servers", "127.0.0.1:" + saslPort);
        p.put("bridge.kafka.security.protocol", "SASL_SSL");
        p.put("bridge.kafka.sasl.mechanism", "SCRAM-SHA-512");
        p.put("bridge.kafka.sasl.username", "bridge");
        p.put("bridge.kafka.ssl.ca-path", certs.caPem().toString());
        p.putAll(extra);
        return p;
    }

    /** Posts a log through the bridge, then finds it with a query (producer, admin and query consumers). */
    private static void assertWritesAndReadsBack(RunningBridge bridge) {
        String service = "secure-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> post = bridge.post("/api/v1/logs", "application/json", logBatch(service));
        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        HttpResponse<String> query = bridge.get("/api/v1/query/logs?service=" + service);
        assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
        JsonNode logs = Json.tree(query.body()).get("data");
        assertThat(logs).hasSize(1);
        assertThat(logs.get(0).get("message").asText()).isEqualTo("through " + service);
    }

    private static byte[] logBatch(String service) {
        return ("{\"id\":\"" + UUID.randomUUID() + "\",\"timestamp\":\"" + Instant.now() + "\",\"logs\":[{\"timestamp\":\""
                + Instant.now() + "\",\"level\":\"Info\",\"message\":\"through " + service
                + "\",\"attributes\":{\"service.name\":\"" + service + "\"}}],\"metadata\":{}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> ready(RunningBridge bridge) {
        return bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health/ready")).GET().build());
    }

    /** Readiness turns UP (every check, the kafka one included) within 20 s. */
    private static void awaitReady(RunningBridge bridge) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> ready = ready(bridge);
        while (ready.statusCode() != 200 && System.nanoTime() < deadline) {
            io.telemetrybridge.support.Topics.sleep(300);
            ready = ready(bridge);
        }
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    }

    /** The {@code kafka} check once its message contains {@code text} (it is refreshed every 5 s). */
    private static JsonNode awaitKafkaCheck(RunningBridge bridge, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode kafka = null;
        while (System.nanoTime() < deadline) {
            JsonNode health = Json.tree(bridge.send(HttpRequest.newBuilder(
                    bridge.managementUri("/observe/health")).GET().build()).body());
            for (JsonNode check : health.get("checks")) {
                if (check.get("name").asText().equals("kafka")) {
                    kafka = check;
                }
            }
            if (kafka != null && kafka.path("message").asText().contains(text)) {
                assertThat(kafka.toString()).doesNotContain(PASSWORD).doesNotContain(WRONG_PASSWORD);
                return kafka;
            }
            io.telemetrybridge.support.Topics.sleep(500);
        }
        throw new AssertionError("the kafka check never said '" + text + "': " + kafka);
    }
}
