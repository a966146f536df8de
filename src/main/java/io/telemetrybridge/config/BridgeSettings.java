package io.telemetrybridge.config;

import io.telemetrybridge.grpc.GrpcSettings;
import io.telemetrybridge.http.HttpsListener;
import io.telemetrybridge.ingest.FileSettings;
import io.telemetrybridge.kafka.KafkaSecurity;
import io.telemetrybridge.kafka.TopicSpec;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.otlp.OtlpEncoding;
import io.telemetrybridge.query.QueryLimits;
import io.telemetrybridge.query.QuerySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The bridge's own settings ({@code bridge.*} keys), read once at start-up through Camel's properties (so
 * {@code application.properties}, {@code -D} system properties and environment variables such as
 * {@code BRIDGE_KAFKA_BOOTSTRAP_SERVERS} all apply) and validated. Every key and its default is listed in
 * {@code application.properties} and the README. Camel's own keys ({@code camel.*}) are left to Camel.
 *
 * @param bootstrapServers       Kafka bootstrap servers; empty means "start the embedded broker"
 * @param embeddedPort           embedded broker client port
 * @param embeddedControllerPort embedded broker KRaft controller port
 * @param embeddedDataDir        embedded broker log directory
 * @param adminTimeoutMs         bound on start-up calls to the cluster (topic creation), milliseconds
 * @param topics                 topic per signal
 * @param dlqTopic               dead-letter topic
 * @param partitions             partitions of topics the bridge creates
 * @param replicationFactor      replication factor of topics the bridge creates
 * @param retryAfterSeconds      {@code Retry-After} sent with 503 when Kafka cannot take records
 * @param maxDecompressedBytes   largest request body accepted once decompressed, in bytes
 * @param maxInFlightRequests    ingestion requests handled at once; more get 429 with Retry-After
 * @param otlpMaxJsonDepth       deepest JSON nesting accepted in OTLP/JSON requests
 * @param otlpEncodings          how OTLP requests of each signal become Kafka records
 * @param dlqMaxPayloadBytes     largest payload kept in a dead letter; longer ones are cut
 * @param dlqFolder              where dead letters go when the dead-letter topic cannot be written
 * @param query                  bounds of the query side ({@code bridge.query.*})
 * @param topicSpecs             how each topic should be: the signals' in order, then the dead-letter topic
 * @param increasePartitions     add partitions to an existing topic that has fewer than configured
 * @param httpAccess             HTTP tokens and CORS origins (its toString shows no token)
 * @param kafkaSecurity          security protocol, SASL and TLS settings of every Kafka client (no secret in toString)
 * @param https                  the HTTPS server ({@code bridge.http.tls.*}), or null when it is off
 * @param grpc                   the OTLP/gRPC receiver ({@code bridge.grpc.*})
 * @param file                   chunk and size bounds of file drops ({@code bridge.file.*})
 */
public record BridgeSettings(
        String bootstrapServers,
        int embeddedPort,
        int embeddedControllerPort,
        Path embeddedDataDir,
        long adminTimeoutMs,
        Map<Signal, String> topics,
        String dlqTopic,
        int partitions,
        short replicationFactor,
        int retryAfterSeconds,
        long maxDecompressedBytes,
        int maxInFlightRequests,
        int otlpMaxJsonDepth,
        Map<Signal, OtlpEncoding> otlpEncodings,
        int dlqMaxPayloadBytes,
        Path dlqFolder,
        QuerySettings query,
        List<TopicSpec> topicSpecs,
        boolean increasePartitions,
        HttpAccess httpAccess,
        KafkaSecurity kafkaSecurity,
        HttpsListener https,
        GrpcSettings grpc,
        FileSettings file) {

    /** Prefix of all our own keys. */
    public static final String PREFIX = "bridge.";

    /** {@code true} when no Kafka address is configured and the bridge runs its own broker. */
    public boolean embedded() {
        return bootstrapServers.isBlank();
    }

    /** All topic names the bridge writes to: one per signal, then the dead-letter topic. */
    public List<String> allTopics() {
        List<String> all = new ArrayList<>(topics.values());
        all.add(dlqTopic);
        return all;
    }

    /**
     * Reads and validates the settings.
     *
     * @throws IllegalArgumentException naming every bad key and its value
     */
    public static BridgeSettings from(PropertiesComponent properties) {
        Reader r = new Reader(key -> properties.resolveProperty(key).orElse(null));
        String bootstrap = r.text("kafka.bootstrap-servers", "");
        if (bootstrap.isBlank()) {
            // Camel's own key for the same thing also counts as "configured".
            bootstrap = properties.resolveProperty("camel.component.kafka.brokers").orElse("").trim();
        }
        Map<Signal, String> topics = new EnumMap<>(Signal.class);
        Map<Signal, OtlpEncoding> encodings = new EnumMap<>(Signal.class);
        for (Signal s : Signal.values()) {
            topics.put(s, r.topic("topics." + s.id(), "telemetry." + s.id()));
            encodings.put(s, r.encoding("otlp." + s.id() + ".encoding"));
        }
        BridgeSettings settings = new BridgeSettings(
                bootstrap,
                r.port("kafka.embedded.port", 9092),
                r.port("kafka.embedded.controller-port", 9093),
                Path.of(r.text("kafka.embedded.data-dir", "data/kafka")),
                r.positive("kafka.admin-timeout-ms", 10_000),
                topics,
                r.topic("topics.dlq", "telemetry.dlq"),
                (int) r.positive("topics.partitions", 3),
                (short) r.positive("topics.replication-factor", 1),
                (int) r.positive("http.retry-after-seconds", 5),
                r.positive("http.max-decompressed-bytes", 20_971_520),
                (int) r.positive("http.max-in-flight-requests", 64),
                (int) r.positive("otlp.max-json-depth", 64),
                encodings,
                (int) r.positive("dlq.max-payload-bytes", 65_536),
                Path.of(r.text("dlq.folder", "data/dead-letter")),
                query(r),
                List.of(),
                r.bool("topics.increase-partitions", false),
                httpAccess(r),
                kafkaSecurity(r, properties),
                https(r, properties),
                grpc(r, properties),
                new FileSettings((int) r.positive("file.chunk-records", 5000), r.positive("file.chunk-bytes", 4_194_304),
                        (int) r.positive("file.max-line-bytes", 4_194_304),
                        r.positive("file.max-batch-bytes", 67_108_864), r.positive("file.orphan-lock-ms", 20_000)));
        settings = settings.withTopicSpecs(topicSpecs(r, settings, keysUnder(properties, PREFIX + "topics.")));
        if (settings.embedded() && !settings.kafkaSecurity().protocol().equals("PLAINTEXT")) {
            r.errors.add(PREFIX + "kafka.security.protocol=" + settings.kafkaSecurity().protocol() + " needs "
                    + PREFIX + "kafka.bootstrap-servers: the embedded broker speaks PLAINTEXT only");
        }
        r.positive("file.quiet-period-ms", 1000);
        r.positive("file.poll-interval-ms", 1000);
        r.positive("heartbeat.period-ms", 30_000);
        r.nonNegative("retry.max-redeliveries", 3);
        r.positive("retry.initial-delay-ms", 500);
        r.positive("retry.max-delay-ms", 5000);
        r.bool("heartbeat.enabled", true);
        if (settings.embeddedPort() == settings.embeddedControllerPort()) {
            r.errors.add(PREFIX + "kafka.embedded.controller-port: must differ from " + PREFIX
                    + "kafka.embedded.port (both " + settings.embeddedPort() + ")");
        }
        if (settings.allTopics().stream().distinct().count() != settings.allTopics().size()) {
            r.errors.add(PREFIX + "topics.*: each signal and the dead-letter queue need their own topic, got "
                    + settings.allTopics());
        }
        // Read by the file routes and the backlog gauge.
        r.text("file.inbox", "inbox");
        for (String other : new String[] {"camel.server.port", "camel.management.port"}) {
            String v = properties.resolveProperty(other).orElse("").trim();
            if (!v.isEmpty() && !v.matches("\\d{1,5}") || !v.isEmpty() && Integer.parseInt(v) > 65_535) {
                r.errors.add(other + ": expected a port from 0 to 65535, got '" + v + "'");
            }
        }
        unknownKeys(r, keysUnder(properties, PREFIX));
        if (!r.errors.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + String.join("; ", r.errors));
        }
        return settings;
    }

    /** Keys under which any name is allowed: Kafka client and topic configs. */
    private static final List<String> OPEN_PREFIXES = List.of(PREFIX + "kafka.client.", PREFIX + "topics.config.",
            PREFIX + "topics.metrics.config.", PREFIX + "topics.traces.config.", PREFIX + "topics.logs.config.",
            PREFIX + "topics.dlq.config.");

    /**
     * A {@code bridge.*} key (in a properties file or a {@code -D} system property) that no setting reads is a
     * mistake that would otherwise pass silently ({@code bridge.topcs.partitions}): reported with the nearest
     * known key. Environment variables cannot be checked this way ({@code _} does not map back to {@code .} or
     * {@code -}). {@code bridge.config} names the properties file itself.
     */
    private static void unknownKeys(Reader r, java.util.Properties present) {
        for (String key : new java.util.TreeSet<>(present.stringPropertyNames())) {
            if (r.read.contains(key) || key.equals(PREFIX + "config") || OPEN_PREFIXES.stream().anyMatch(key::startsWith)) {
                continue;
            }
            String nearest = null;
            int best = Integer.MAX_VALUE;
            for (String known : r.read) {
                int d = distance(key, known);
                if (d < best) {
                    best = d;
                    nearest = known;
                }
            }
            r.errors.add(key + ": not a setting of the bridge" + (nearest != null && best <= Math.max(3, key.length() / 4)
                    ? "; did you mean " + nearest + "?" : " (application.properties lists them all)"));
        }
    }

    /** Edit distance (insertions, deletions, substitutions) between two keys. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private BridgeSettings withTopicSpecs(List<TopicSpec> specs) {
        return new BridgeSettings(bootstrapServers, embeddedPort, embeddedControllerPort, embeddedDataDir,
                adminTimeoutMs, topics, dlqTopic, partitions, replicationFactor, retryAfterSeconds,
                maxDecompressedBytes, maxInFlightRequests, otlpMaxJsonDepth, otlpEncodings, dlqMaxPayloadBytes,
                dlqFolder, query, specs, increasePartitions, httpAccess, kafkaSecurity, https, grpc, file);
    }

    /**
     * Every key under {@code prefix}: what Camel's properties component loads (the properties files and the
     * bridge's override properties), with {@code -D} system properties over it. Topic and Kafka client keys are
     * open-ended, so they are listed here rather than looked up; environment variables cannot name them
     * ({@code _} does not map back to {@code .}).
     */
    private static java.util.Properties keysUnder(PropertiesComponent properties, String prefix) {
        java.util.Properties all = new java.util.Properties();
        java.util.function.Predicate<String> ours = k -> k.startsWith(prefix);
        all.putAll(properties.loadProperties(ours));
        System.getProperties().stringPropertyNames().stream().filter(ours)
                .forEach(k -> all.setProperty(k, System.getProperty(k)));
        return all;
    }

    /**
     * Per topic: {@code bridge.topics.<signal|dlq>.partitions} and {@code .replication-factor} (else the shared
     * {@code bridge.topics.partitions} / {@code .replication-factor}), and topic configs from
     * {@code bridge.topics.config.<key>} (every topic) overlaid by {@code bridge.topics.<signal|dlq>.config.<key>}.
     */
    private static List<TopicSpec> topicSpecs(Reader r, BridgeSettings s, java.util.Properties all) {
        Map<String, String> shared = new java.util.TreeMap<>();
        String sharedPrefix = PREFIX + "topics.config.";
        all.stringPropertyNames().stream().filter(k -> k.startsWith(sharedPrefix))
                .forEach(k -> shared.put(k.substring(sharedPrefix.length()), all.getProperty(k).trim()));
        List<TopicSpec> specs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Signal signal : Signal.values()) {
            ids.add(signal.id());
        }
        ids.add("dlq");
        List<String> names = s.allTopics();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Map<String, String> configs = new java.util.TreeMap<>(shared);
            String own = PREFIX + "topics." + id + ".config.";
            all.stringPropertyNames().stream().filter(k -> k.startsWith(own))
                    .forEach(k -> configs.put(k.substring(own.length()), all.getProperty(k).trim()));
            specs.add(new TopicSpec(names.get(i),
                    (int) r.positive("topics." + id + ".partitions", s.partitions()),
                    (short) r.positive("topics." + id + ".replication-factor", s.replicationFactor()), configs));
        }
        return specs;
    }

    /** {@code bridge.kafka.security.*}, {@code .sasl.*}, {@code .ssl.*} and {@code bridge.kafka.client.*}. */
    private static KafkaSecurity kafkaSecurity(Reader r, PropertiesComponent properties) {
        String prefix = PREFIX + "kafka.client.";
        Map<String, String> passthrough = new java.util.TreeMap<>();
        java.util.Properties raw = keysUnder(properties, prefix);
        String jaasKey = prefix + "sasl.jaas.config";
        if (raw.containsKey(jaasKey) && !raw.getProperty(jaasKey).contains("{{")) {
            // Camel's start-up summary prints this key's value, password included.
            r.errors.add(jaasKey + ": would show its password in the log; use " + PREFIX + "kafka.sasl-jaas-config "
                    + "(masked), or {{env:NAME}} as the value");
        }
        for (String k : raw.stringPropertyNames()) {
            // Resolved through Camel, so {{env:NAME}} placeholders keep secrets out of the file.
            String v = properties.resolveProperty(k).orElse(System.getProperty(k, ""));
            passthrough.put(k.substring(prefix.length()), v.trim());
        }
        return KafkaSecurity.read(r.lookup, passthrough, r.errors);
    }

    /** {@code bridge.http.tls.*}: null when {@code bridge.http.tls.port} is 0 (the default). */
    private static HttpsListener https(Reader r, PropertiesComponent properties) {
        long port = r.nonNegative("http.tls.port", 0);
        String cert = r.text("http.tls.certificate-path", "");
        String key = r.text("http.tls.key-path", "");
        String host = r.text("http.tls.host", "");
        if (port == 0) {
            // gRPC over TLS takes the same certificate, also without HTTPS.
            if ((!cert.isEmpty() || !key.isEmpty()) && !r.bool("grpc.tls.enabled", false)) {
                r.errors.add(PREFIX + "http.tls.certificate-path / .key-path: set, but " + PREFIX
                        + "http.tls.port is 0 (HTTPS off)");
            }
            return null;
        }
        if (port > 65_535) {
            r.errors.add(PREFIX + "http.tls.port: expected a port from 1 to 65535, got " + port);
        }
        for (String other : new String[] {"camel.server.port", "camel.management.port"}) {
            // Vert.x would share one port between two servers and answer half the connections with each.
            if (String.valueOf(port).equals(properties.resolveProperty(other).orElse("").trim())) {
                r.errors.add(PREFIX + "http.tls.port: must differ from " + other + " (both " + port + ")");
            }
        }
        if (host.isEmpty()) {
            host = properties.resolveProperty("camel.server.host").orElse("").trim();
        }
        host = host.isEmpty() ? "0.0.0.0" : host;
        for (String[] f : new String[][] {{"http.tls.certificate-path", cert, "CERTIFICATE"},
                {"http.tls.key-path", key, "PRIVATE KEY"}}) {
            if (f[1].isEmpty()) {
                r.errors.add(PREFIX + f[0] + ": needed with " + PREFIX + "http.tls.port");
                continue;
            }
            try {
                String pem = java.nio.file.Files.readString(Path.of(f[1]), java.nio.charset.StandardCharsets.US_ASCII);
                if (pem.contains("ENCRYPTED PRIVATE KEY") || pem.contains("Proc-Type: 4,ENCRYPTED")) {
                    r.errors.add(PREFIX + f[0] + ": " + f[1] + " is encrypted; the HTTPS server needs an unencrypted "
                            + "key (protect the file instead)");
                } else if (!pem.contains(f[2] + "-----")) {
                    r.errors.add(PREFIX + f[0] + ": " + f[1] + " holds no PEM '" + f[2] + "' block");
                }
            } catch (java.io.IOException | RuntimeException e) {
                r.errors.add(PREFIX + f[0] + ": cannot read " + f[1] + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return new HttpsListener((int) port, host, Path.of(cert), Path.of(key));
    }

    /** {@code bridge.grpc.*}; the message bound is the HTTP side's {@code bridge.http.max-decompressed-bytes}. */
    private static GrpcSettings grpc(Reader r, PropertiesComponent properties) {
        boolean enabled = r.bool("grpc.enabled", true);
        int port = r.port("grpc.port", 4317);
        String host = r.text("grpc.host", "");
        if (host.isEmpty()) {
            host = properties.resolveProperty("camel.server.host").orElse("").trim();
        }
        long maxBytes = r.positive("http.max-decompressed-bytes", 20_971_520);
        if (maxBytes > Integer.MAX_VALUE) {
            r.errors.add(PREFIX + "http.max-decompressed-bytes: at most " + Integer.MAX_VALUE + " (the gRPC message "
                    + "bound), got " + maxBytes);
            maxBytes = Integer.MAX_VALUE;
        }
        if (enabled) {
            for (String other : new String[] {"camel.server.port", "camel.management.port", PREFIX + "http.tls.port"}) {
                if (String.valueOf(port).equals(properties.resolveProperty(other).orElse("").trim())) {
                    r.errors.add(PREFIX + "grpc.port: must differ from " + other + " (both " + port + ")");
                }
            }
        }
        Path cert = null;
        Path key = null;
        if (r.bool("grpc.tls.enabled", false)) {
            for (String k : new String[] {"http.tls.certificate-path", "http.tls.key-path"}) {
                String v = r.text(k, "");
                if (v.isEmpty() || !java.nio.file.Files.isReadable(Path.of(v))) {
                    r.errors.add(PREFIX + "grpc.tls.enabled: needs a readable " + PREFIX + k + ", got '" + v + "'");
                }
            }
            cert = Path.of(r.text("http.tls.certificate-path", ""));
            key = Path.of(r.text("http.tls.key-path", ""));
        }
        return new GrpcSettings(enabled, host.isEmpty() ? "0.0.0.0" : host, port, (int) maxBytes,
                r.positive("grpc.drain-timeout-ms", 10_000), cert, key);
    }

    private static String tokenFileProblem(java.io.IOException e) {
        return String.valueOf(e.getMessage()).endsWith("holds no token") ? e.getMessage() : "cannot read " + e.getMessage();
    }

    private static HttpAccess httpAccess(Reader r) {
        List<String> ingest = List.of();
        List<String> read = List.of();
        try {
            ingest = HttpAccess.tokens(r.text("http.auth.ingest.token", ""), r.text("http.auth.ingest.token-file", ""));
        } catch (java.io.IOException e) {
            r.errors.add(PREFIX + "http.auth.ingest.token-file: " + tokenFileProblem(e));
        }
        try {
            read = HttpAccess.tokens(r.text("http.auth.read.token", ""), r.text("http.auth.read.token-file", ""));
        } catch (java.io.IOException e) {
            r.errors.add(PREFIX + "http.auth.read.token-file: " + tokenFileProblem(e));
        }
        List<String> origins = java.util.Arrays.stream(r.text("http.cors.allowed-origins", "").split(","))
                .map(String::trim).filter(o -> !o.isEmpty()).toList();
        for (String o : origins) {
            if (!o.equals("*") && !o.matches("https?://[^/\\s]+")) {
                r.errors.add(PREFIX + "http.cors.allowed-origins: expected origins such as https://app.example.com,"
                        + " got '" + o + "'");
            }
        }
        return new HttpAccess(ingest, read, origins);
    }

    private static QuerySettings query(Reader r) {
        int defaultLimit = (int) r.positive("query.default-limit", 100);
        int maxLimit = (int) r.positive("query.max-limit", 1000);
        int window = (int) r.positive("query.max-result-window", 10_000);
        if (defaultLimit > maxLimit || maxLimit > window) {
            r.errors.add(PREFIX + "query.*: need default-limit <= max-limit <= max-result-window, got "
                    + defaultLimit + ", " + maxLimit + ", " + window);
            defaultLimit = Math.min(defaultLimit, maxLimit);
            window = Math.max(window, maxLimit);
        }
        return new QuerySettings(
                r.positive("query.timeout-ms", 10_000),
                (int) r.positive("query.max-concurrent", 4),
                (int) r.positive("query.parallelism", 2),
                r.positive("query.max-records-scanned", 5_000_000),
                r.nonNegative("query.max-lateness-ms", 3_600_000),
                r.nonNegative("query.max-clock-skew-ms", 300_000),
                new QueryLimits(defaultLimit, maxLimit, window),
                (int) r.nonNegative("query.trace-index.max-spans", 2_000_000));
    }

    private static final class Reader {
        final Function<String, String> lookup;
        final List<String> errors = new ArrayList<>();
        /** Every key a setting looked up, present or not: what counts as a known key. */
        final java.util.Set<String> read = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Reader(Function<String, String> lookup) {
            this.lookup = key -> {
                read.add(key);
                return lookup.apply(key);
            };
        }

        String text(String key, String fallback) {
            String v = lookup.apply(PREFIX + key);
            return v == null ? fallback : v.trim();
        }

        long positive(String key, long fallback) {
            String v = text(key, String.valueOf(fallback));
            try {
                long n = Long.parseLong(v);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            errors.add(PREFIX + key + ": expected a positive integer, got '" + v + "'");
            return fallback;
        }

        long nonNegative(String key, long fallback) {
            String v = text(key, String.valueOf(fallback));
            try {
                long n = Long.parseLong(v);
                if (n >= 0 && n <= Integer.MAX_VALUE) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            errors.add(PREFIX + key + ": expected an integer from 0 to " + Integer.MAX_VALUE + ", got '" + v + "'");
            return fallback;
        }

        int port(String key, int fallback) {
            long p = positive(key, fallback);
            if (p > 65_535) {
                errors.add(PREFIX + key + ": expected a port from 1 to 65535, got " + p);
                return fallback;
            }
            return (int) p;
        }

        boolean bool(String key, boolean fallback) {
            String v = text(key, String.valueOf(fallback));
            if (!v.equals("true") && !v.equals("false")) {
                errors.add(PREFIX + key + ": expected true or false, got '" + v + "'");
            }
            return Boolean.parseBoolean(v);
        }

        OtlpEncoding encoding(String key) {
            String v = text(key, "json");
            try {
                return OtlpEncoding.named(v);
            } catch (IllegalArgumentException e) {
                errors.add(PREFIX + key + ": " + e.getMessage());
                return OtlpEncoding.named("json");
            }
        }

        String topic(String key, String fallback) {
            String v = text(key, fallback);
            // Kafka's own rule for topic names.
            if (!v.matches("[a-zA-Z0-9._-]{1,249}") || v.equals(".") || v.equals("..")) {
                errors.add(PREFIX + key + ": not a valid Kafka topic name: '" + v + "'");
            }
            return v;
        }
    }
}
