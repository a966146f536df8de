package io.telemetrybridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code bridge.kafka.security.*}, {@code .sasl.*}, {@code .ssl.*} and {@code .client.*} become client settings. */
class KafkaSecuritySettingsTest {

    @TempDir
    Path dir;

    final List<String> errors = new ArrayList<>();

    KafkaSecurity read(Map<String, String> keys) {
        return read(keys, Map.of());
    }

    KafkaSecurity read(Map<String, String> keys, Map<String, String> passthrough) {
        Map<String, String> full = new HashMap<>();
        keys.forEach((k, v) -> full.put("bridge.kafka." + k, v));
        return KafkaSecurity.read(full::get, passthrough, errors);
    }

    @Test
    void nothingSetIsPlaintext() {
        KafkaSecurity s = read(Map.of());
        assertThat(errors).isEmpty();
        assertThat(s.clientProperties()).containsExactly(Map.entry("security.protocol", "PLAINTEXT"));
    }

    @Test
    void scramBuildsAJaasConfigWithQuotedValuesAndHidesThePassword() {
        KafkaSecurity s = read(Map.of("security.protocol", "sasl_ssl", "sasl.mechanism", "SCRAM-SHA-256",
                "sasl.username", "bri\"dge", "sasl.password", "p\\a\"ss"));
        assertThat(errors).isEmpty();
        assertThat(s.clientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"bri\\\"dge\" password=\"p\\\\a\\\"ss\";")
                .containsEntry("ssl.endpoint.identification.algorithm", "https");
        assertThat(s.toString()).doesNotContain("p\\a").contains("SCRAM-SHA-256");
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void passwordsComeFromAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "\n  from-file  \n");
        KafkaSecurity s = read(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.username", "u", "sasl.password-file", file.toString()));
        assertThat(errors).isEmpty();
        assertThat((String) s.clientProperties().get("sasl.jaas.config")).contains("password=\"from-file\"");
        read(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.username", "u",
                "sasl.password-file", dir.resolve("missing").toString()));
        assertThat(errors).singleElement().asString().startsWith("bridge.kafka.sasl.password-file: cannot read");
    }

    @Test
    void plainWithoutTlsIsAWarning() {
        KafkaSecurity s = read(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.username", "u", "sasl.password", "p"));
        assertThat(errors).isEmpty();
        assertThat(s.warnings()).singleElement().asString().contains("clear text");
    }

    @Test
    void verifyFalseTurnsHostNameCheckingOffAndIsAWarning() {
        KafkaSecurity s = read(Map.of("security.protocol", "SSL", "ssl.verify", "false"));
        assertThat(errors).isEmpty();
        assertThat(s.clientProperties()).containsEntry("ssl.endpoint.identification.algorithm", "");
        assertThat(s.warnings()).singleElement().asString().startsWith("bridge.kafka.ssl.verify=false");
        assertThat(s.describe()).isEqualTo("SSL, host name not verified");
    }

    @Test
    void pemFilesBecomePemStores() throws Exception {
        String cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        Path ca = Files.writeString(dir.resolve("ca.pem"), cert);
        Path key = Files.writeString(dir.resolve("key.pem"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIE\n-----END ENCRYPTED PRIVATE KEY-----\n");
        KafkaSecurity s = read(Map.of("security.protocol", "SSL", "ssl.ca-path", ca.toString(),
                "ssl.certificate-path", ca.toString(), "ssl.key-path", key.toString(), "ssl.key-password", "kp"));
        assertThat(errors).isEmpty();
        assertThat(s.clientProperties()).containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.certificates", cert.trim())
                .containsEntry("ssl.keystore.type", "PEM")
                .containsEntry("ssl.keystore.certificate.chain", cert.trim())
                .containsEntry("ssl.key.password", "kp");
        assertThat(s.toString()).doesNotContain("kp").doesNotContain("MIIE");
    }

    @Test
    void badSettingsNameTheirKey() throws Exception {
        Path pkcs1 = Files.writeString(dir.resolve("rsa.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n");
        Path notPem = Files.writeString(dir.resolve("ca.txt"), "hello");
        read(Map.of("security.protocol", "TLS"));
        read(Map.of("sasl.username", "u", "sasl.password", "p"));
        read(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "GSSAPI", "sasl.username", "u",
                "sasl.password", "p"));
        read(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.username", "u"));
        read(Map.of("security.protocol", "SASL_SSL"));
        read(Map.of("ssl.ca-path", notPem.toString()));
        read(Map.of("security.protocol", "SSL", "ssl.ca-path", notPem.toString()));
        read(Map.of("security.protocol", "SSL", "ssl.certificate-path", notPem.toString()));
        read(Map.of("security.protocol", "SSL", "ssl.certificate-path", notPem.toString(), "ssl.key-path",
                pkcs1.toString()));
        read(Map.of("security.protocol", "SSL", "ssl.verify", "no"));
        assertThat(errors).hasSize(11);
        assertThat(errors.get(0)).startsWith("bridge.kafka.security.protocol: expected one of");
        assertThat(errors.get(1)).startsWith("bridge.kafka.sasl.*: SASL settings need");
        assertThat(errors.get(2)).startsWith("bridge.kafka.sasl.mechanism: with a username and password, expected PLAIN");
        assertThat(errors.get(3)).startsWith("bridge.kafka.sasl.username and bridge.kafka.sasl.password");
        assertThat(errors.get(4)).contains("needed with SASL_SSL");
        assertThat(errors.get(5)).startsWith("bridge.kafka.ssl.*: TLS settings need");
        assertThat(errors.get(6)).startsWith("bridge.kafka.ssl.ca-path:").contains("no PEM 'CERTIFICATE' block");
        assertThat(errors.get(7)).contains("mutual TLS needs both");
        assertThat(errors.get(8)).startsWith("bridge.kafka.ssl.certificate-path:");
        assertThat(errors.get(9)).startsWith("bridge.kafka.ssl.key-path:").contains("openssl pkcs8 -topk8");
        assertThat(errors.get(10)).startsWith("bridge.kafka.ssl.verify: expected true or false");
    }

    @Test
    void encryptedKeysNeedAPasswordAndASchemeJavaReads() throws Exception {
        // Throwaway keys made with openssl pkcs8 -topk8 (PBES2, OpenSSL 3's default) and -v1 PBE-SHA1-3DES.
        Path pbes2 = Path.of(getClass().getResource("/keys/pbes2-encrypted-key.pem").toURI());
        Path pbes1 = Path.of(getClass().getResource("/keys/pbes1-encrypted-key.pem").toURI());
        Path cert = Files.writeString(dir.resolve("c.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        assertThat(KafkaSecurity.pbes2(Files.readString(pbes2))).isTrue();
        assertThat(KafkaSecurity.pbes2(Files.readString(pbes1))).isFalse();
        read(Map.of("security.protocol", "SSL", "ssl.certificate-path", cert.toString(),
                "ssl.key-path", pbes1.toString()));
        read(Map.of("security.protocol", "SSL", "ssl.certificate-path", cert.toString(),
                "ssl.key-path", pbes2.toString(), "ssl.key-password", "abc"));
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).isEqualTo("bridge.kafka.ssl.key-path: " + pbes1 + " is encrypted: set "
                + "bridge.kafka.ssl.key-password (or .key-password-file)");
        assertThat(errors.get(1)).contains("PBES2").contains("-v1 PBE-SHA1-3DES");
        errors.clear();
        KafkaSecurity s = read(Map.of("security.protocol", "SSL", "ssl.certificate-path", cert.toString(),
                "ssl.key-path", pbes1.toString(), "ssl.key-password", "abc"));
        assertThat(errors).isEmpty();
        assertThat(s.clientProperties()).containsEntry("ssl.key.password", "abc");
    }

    @Test
    void aJaasConfigServesOtherMechanisms() {
        KafkaSecurity s = read(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "OAUTHBEARER",
                "sasl-jaas-config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;"));
        assertThat(errors).isEmpty();
        assertThat(s.clientProperties()).containsEntry("sasl.mechanism", "OAUTHBEARER")
                .containsEntry("sasl.jaas.config",
                        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
        read(Map.of("security.protocol", "SASL_SSL", "sasl-jaas-config", "x required;"));
        read(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "sasl.username", "u",
                "sasl.password", "p", "sasl-jaas-config", "x required;"));
        assertThat(errors).containsExactly("bridge.kafka.sasl.mechanism: needed with bridge.kafka.sasl-jaas-config",
                "bridge.kafka.sasl-jaas-config: set it or bridge.kafka.sasl.username and .password, not both");
    }

    @Test
    void clientKeysAreAddedAndWin() {
        KafkaSecurity s = read(Map.of("security.protocol", "SASL_SSL"), Map.of("sasl.mechanism", "OAUTHBEARER",
                "sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
                "ssl.endpoint.identification.algorithm", ""));
        assertThat(errors).isEmpty();
        assertThat(s.clientProperties()).containsEntry("sasl.mechanism", "OAUTHBEARER")
                .containsEntry("ssl.endpoint.identification.algorithm", "");
    }
}
