package io.telemetrybridge.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How every Kafka client of the bridge (the producer, the query consumers, the admin clients) authenticates
 * to the cluster and protects the connection: the seed's {@code auth} block (mechanism, username, password;
 * {@code ssl}: certificate_path, key_path, ca_path, password, verify) as {@code bridge.kafka.*} keys, plus
 * {@code bridge.kafka.client.<kafka key>} for any other Kafka client setting (key stores, OAUTHBEARER, GSSAPI).
 * docs/security.md.
 *
 * <ul>
 *   <li>{@code bridge.kafka.security.protocol}: PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL.</li>
 *   <li>{@code bridge.kafka.sasl.mechanism}: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, with
 *       {@code .username} and {@code .password} (or {@code .password-file}); any other mechanism with
 *       {@code bridge.kafka.sasl-jaas-config}, a JAAS configuration (a key Camel masks in its log).</li>
 *   <li>{@code bridge.kafka.ssl.ca-path}: PEM file of the CA certificates to trust (else the JVM's trust store);
 *       {@code .certificate-path} and {@code .key-path}: PEM client certificate chain and PKCS#8 private key for
 *       mutual TLS; {@code .key-password} (or {@code .key-password-file}) when the key is encrypted;
 *       {@code .verify} (default true): check that the broker's certificate names the host connected to.</li>
 * </ul>
 * Files are read once, at start-up. {@link #toString()} shows no secret; Kafka itself logs the password-typed
 * settings built here ({@code sasl.jaas.config}, {@code ssl.keystore.key}, {@code ssl.key.password}) as hidden.
 */
public final class KafkaSecurity {

    /** Security protocols Kafka clients speak. */
    public static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    /** SASL mechanisms configured from a username and password. */
    public static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    private static final String PREFIX = "bridge.kafka.";

    private final String protocol;
    private final String mechanism;
    private final String username;
    private final boolean verify;
    private final Map<String, Object> clientProperties;
    private final List<String> warnings;

    private KafkaSecurity(String protocol, String mechanism, String username, boolean verify,
            Map<String, Object> clientProperties, List<String> warnings) {
        this.protocol = protocol;
        this.mechanism = mechanism;
        this.username = username;
        this.verify = verify;
        this.clientProperties = Collections.unmodifiableMap(clientProperties);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Reads the settings.
     *
     * @param lookup      full key ({@code bridge.kafka.sasl.username}) to its value, null when unset
     * @param passthrough {@code bridge.kafka.client.*} keys with that prefix removed, to their values
     * @param errors      gets one message per bad key, naming it
     */
    public static KafkaSecurity read(Function<String, String> lookup, Map<String, String> passthrough,
            List<String> errors) {
        Function<String, String> text = key -> {
            String v = lookup.apply(PREFIX + key);
            return v == null ? "" : v.trim();
        };
        String protocol = text.apply("security.protocol").toUpperCase(Locale.ROOT);
        if (protocol.isEmpty()) {
            protocol = "PLAINTEXT";
        }
        if (!PROTOCOLS.contains(protocol)) {
            errors.add(PREFIX + "security.protocol: expected one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, got '"
                    + protocol + "'");
        }
        boolean sasl = protocol.startsWith("SASL_");
        boolean tls = protocol.endsWith("SSL");
        Map<String, Object> p = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);

        String mechanism = text.apply("sasl.mechanism").toUpperCase(Locale.ROOT);
        String username = text.apply("sasl.username");
        String password = secret(text, "sasl.password", errors);
        boolean passwordUnreadable = password == null;
        password = passwordUnreadable ? "" : password;
        String jaas = text.apply("sasl-jaas-config");
        if (!jaas.isEmpty()) {
            // Any mechanism (OAUTHBEARER, GSSAPI, ...) with its own login module; Camel masks this key in its log.
            if (!sasl) {
                errors.add(PREFIX + "sasl-jaas-config: needs " + PREFIX + "security.protocol SASL_SSL or "
                        + "SASL_PLAINTEXT, got " + protocol);
            } else if (!username.isEmpty() || !password.isEmpty()) {
                errors.add(PREFIX + "sasl-jaas-config: set it or " + PREFIX + "sasl.username and .password, not both");
            } else if (mechanism.isEmpty()) {
                errors.add(PREFIX + "sasl.mechanism: needed with " + PREFIX + "sasl-jaas-config");
            } else {
                p.put(SaslConfigs.SASL_MECHANISM, mechanism);
                p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas);
            }
        } else if (!mechanism.isEmpty() || !username.isEmpty() || !password.isEmpty()) {
            if (!sasl) {
                errors.add(PREFIX + "sasl.*: SASL settings need " + PREFIX
                        + "security.protocol SASL_SSL or SASL_PLAINTEXT, got " + protocol);
            } else if (!MECHANISMS.contains(mechanism)) {
                errors.add(PREFIX + "sasl.mechanism: with a username and password, expected PLAIN, SCRAM-SHA-256 or "
                        + "SCRAM-SHA-512, got '" + mechanism + "' (other mechanisms: " + PREFIX
                        + "sasl-jaas-config with the mechanism's login module)");
            } else if (passwordUnreadable) {
                // already reported
            } else if (username.isEmpty() || password.isEmpty()) {
                errors.add(PREFIX + "sasl.username and " + PREFIX + "sasl.password (or .password-file): both are "
                        + "needed for " + mechanism);
            } else {
                p.put(SaslConfigs.SASL_MECHANISM, mechanism);
                String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                        : "org.apache.kafka.common.security.scram.ScramLoginModule";
                p.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + jaasQuoted(username)
                        + "\" password=\"" + jaasQuoted(password) + "\";");
                if (mechanism.equals("PLAIN") && !tls) {
                    warnings.add("SASL PLAIN over SASL_PLAINTEXT sends the password in clear text: use SASL_SSL");
                }
            }
        } else if (sasl && !passthrough.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
            errors.add(PREFIX + "sasl.mechanism, .username and .password: needed with " + protocol);
        }

        String ca = text.apply("ssl.ca-path");
        String cert = text.apply("ssl.certificate-path");
        String key = text.apply("ssl.key-path");
        String keyPassword = Objects.requireNonNullElse(secret(text, "ssl.key-password", errors), "");
        String verifyText = text.apply("ssl.verify");
        boolean verify = !verifyText.equalsIgnoreCase("false");
        if (!verifyText.isEmpty() && !verifyText.equals("true") && !verifyText.equals("false")) {
            errors.add(PREFIX + "ssl.verify: expected true or false, got '" + verifyText + "'");
        }
        boolean anySsl = !ca.isEmpty() || !cert.isEmpty() || !key.isEmpty() || !keyPassword.isEmpty() || !verify;
        if (anySsl && !tls) {
            errors.add(PREFIX + "ssl.*: TLS settings need " + PREFIX + "security.protocol SSL or SASL_SSL, got "
                    + protocol);
        } else if (tls) {
            if (!ca.isEmpty()) {
                String pem = pemFile("ssl.ca-path", ca, "CERTIFICATE", errors);
                if (pem != null) {
                    p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
                    p.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, pem);
                }
            }
            if (cert.isEmpty() != key.isEmpty()) {
                errors.add(PREFIX + "ssl.certificate-path and " + PREFIX + "ssl.key-path: mutual TLS needs both");
            } else if (!cert.isEmpty()) {
                String chain = pemFile("ssl.certificate-path", cert, "CERTIFICATE", errors);
                String privateKey = pemFile("ssl.key-path", key, "PRIVATE KEY", errors);
                if (privateKey != null && privateKey.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
                    if (keyPassword.isEmpty()) {
                        errors.add(PREFIX + "ssl.key-path: " + key + " is encrypted: set " + PREFIX
                                + "ssl.key-password (or .key-password-file)");
                        privateKey = null;
                    } else if (pbes2(privateKey)) {
                        errors.add(PREFIX + "ssl.key-path: " + key + " is encrypted with PBES2 (OpenSSL 3's default), "
                                + "which Java 17 cannot read: re-encrypt it with openssl pkcs8 -topk8 -v1 "
                                + "PBE-SHA1-3DES -in KEY -out KEY.pk8, or store it unencrypted (-nocrypt) in a protected "
                                + "file");
                        privateKey = null;
                    }
                }
                if (chain != null && privateKey != null) {
                    p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
                    p.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, chain);
                    p.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, privateKey);
                    if (!keyPassword.isEmpty()) {
                        p.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, keyPassword);
                    }
                }
            } else if (!keyPassword.isEmpty()) {
                errors.add(PREFIX + "ssl.key-password: set without " + PREFIX + "ssl.key-path");
            }
            p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, verify ? "https" : "");
            if (!verify) {
                warnings.add(PREFIX + "ssl.verify=false: the broker's certificate is not checked against its host "
                        + "name, so anyone holding a certificate from a trusted CA can pose as the cluster");
            }
        }
        // Explicit Kafka settings win over the ones derived above.
        p.putAll(new TreeMap<>(passthrough));
        return new KafkaSecurity(protocol, mechanism, username, verify, p, warnings);
    }

    /** Kafka client settings to add to every client's configuration (security protocol, SASL, TLS, extras). */
    public Map<String, Object> clientProperties() {
        return clientProperties;
    }

    /** Settings to log a warning about once at start-up (verify=false, PLAIN without TLS). */
    public List<String> warnings() {
        return warnings;
    }

    /** The protocol, for messages: {@code SASL_SSL}. */
    public String protocol() {
        return protocol;
    }

    /** {@code SASL_SSL (SCRAM-SHA-512 as 'bridge')}-like description without any secret, for messages. */
    public String describe() {
        String who = mechanism.isEmpty() ? "" : " (" + mechanism + " as '" + username + "')";
        return protocol + who + (verify ? "" : ", host name not verified");
    }

    @Override
    public String toString() {
        return "KafkaSecurity[" + describe() + ", client settings " + clientProperties.keySet() + "]";
    }

    /**
     * {@code key} or the first line of the file named by {@code key-file}; empty when neither is set, null after
     * adding an error when the file cannot be read.
     */
    private static String secret(Function<String, String> text, String key, List<String> errors) {
        String inline = text.apply(key);
        String file = text.apply(key + "-file");
        if (!inline.isEmpty() && !file.isEmpty()) {
            errors.add(PREFIX + key + " and " + PREFIX + key + "-file: set only one");
        }
        if (!inline.isEmpty() || file.isEmpty()) {
            return inline;
        }
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().map(String::trim)
                    .filter(l -> !l.isEmpty()).findFirst().orElse("");
        } catch (IOException e) {
            errors.add(PREFIX + key + "-file: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
            return null;
        }
    }

    /**
     * The text of a PEM file that holds at least one {@code -----BEGIN <kind>-----} block (an encrypted PKCS#8
     * key counts as a private key); null after adding an error.
     */
    private static String pemFile(String key, String path, String kind, List<String> errors) {
        String pem;
        try {
            pem = Files.readString(Path.of(path), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            errors.add(PREFIX + key + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
            return null;
        }
        if (kind.equals("PRIVATE KEY") && (pem.contains("-----BEGIN RSA PRIVATE KEY-----")
                || pem.contains("-----BEGIN EC PRIVATE KEY-----"))) {
            errors.add(PREFIX + key + ": " + path + " is a PKCS#1/SEC1 key; Kafka reads PKCS#8 keys (convert with "
                    + "openssl pkcs8 -topk8 -in KEY -out KEY.pk8, adding -nocrypt for an unencrypted key)");
            return null;
        }
        if (!pem.contains("-----BEGIN " + kind + "-----")
                && !(kind.equals("PRIVATE KEY") && pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"))) {
            errors.add(PREFIX + key + ": " + path + " holds no PEM '" + kind + "' block");
            return null;
        }
        return pem.trim();
    }

    /** Whether an encrypted PKCS#8 PEM key names PBES2 (OID 1.2.840.113549.1.5.13) as its encryption scheme. */
    static boolean pbes2(String pem) {
        String body = pem.replaceAll("-----[^-]+-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] oid = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x05, 0x0D};
        // The scheme is the first thing in the structure: look only at its start.
        for (int i = 0; i + oid.length <= Math.min(der.length, 32); i++) {
            if (Arrays.equals(der, i, i + oid.length, oid, 0, oid.length)) {
                return true;
            }
        }
        return false;
    }

    /** Escapes a value for a double-quoted JAAS option. */
    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
