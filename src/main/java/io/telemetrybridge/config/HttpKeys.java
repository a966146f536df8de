package io.telemetrybridge.config;

import static io.telemetrybridge.config.SettingsReader.PREFIX;

import io.telemetrybridge.grpc.GrpcSettings;
import io.telemetrybridge.http.HttpAccess;
import io.telemetrybridge.http.Tenants;
import io.telemetrybridge.http.HttpSettings;
import io.telemetrybridge.http.HttpsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and validates the front doors' keys: {@code camel.server.port} (once, for every part that needs it),
 * {@code bridge.http.*} and {@code bridge.grpc.*}.
 */
final class HttpKeys {

    /** Camel's defaults for {@code camel.server.port} and {@code camel.management.port}. */
    private static final int CAMEL_SERVER_PORT = 8080;
    private static final int CAMEL_MANAGEMENT_PORT = 9876;

    private HttpKeys() {}

    static HttpSettings http(SettingsReader r) {
        int port = CAMEL_SERVER_PORT;
        int managementPort = CAMEL_MANAGEMENT_PORT;
        for (String key : new String[] {"camel.server.port", "camel.management.port"}) {
            String v = r.camel(key);
            if (!v.isEmpty() && (!v.matches("\\d{1,5}") || Integer.parseInt(v) > 65_535)) {
                r.errors.add(key + ": expected a port from 0 to 65535, got '" + v + "'");
            } else if (!v.isEmpty() && key.equals("camel.server.port")) {
                port = Integer.parseInt(v);
            } else if (!v.isEmpty()) {
                managementPort = Integer.parseInt(v);
            }
        }
        if (r.camel("camel.management.enabled").equals("false")) {
            managementPort = -1;
        }
        String managementHost = r.camel("camel.management.host");
        long maxDecompressed = r.positive("http.max-decompressed-bytes", 20_971_520);
        long maxBody = maxBodyBytes(r, maxDecompressed);
        return new HttpSettings(port,
                (int) r.positive("http.retry-after-seconds", 5),
                maxDecompressed,
                (int) r.positive("http.max-in-flight-requests", 64),
                maxInFlightBytes(r, maxBody, Runtime.getRuntime().maxMemory()),
                maxBody,
                access(r),
                https(r),
                managementHost.isEmpty() ? "0.0.0.0" : managementHost,
                managementPort);
    }

    /**
     * {@code bridge.http.max-in-flight-bytes}: by default a 24th of the heap ({@code maxHeap}, -Xmx), and never
     * below the largest body as received ({@code maxBody}). Measured on a 256 MiB heap (docs/running.md): a
     * request held about 10 times its protobuf size in heap on its way to Kafka (decoded request, records,
     * producer batches) and 4 to 5 times its OTLP/JSON size; four 4.5 MB protobuf requests at once ran it out of
     * memory, one 10 MB request at a time did not.
     */
    static long maxInFlightBytes(SettingsReader r, long maxBody, long maxHeap) {
        String key = "http.max-in-flight-bytes";
        if (r.text(key, "").isEmpty()) {
            return Math.max(maxHeap / 24, maxBody);
        }
        return r.positive(key, maxBody);
    }

    /** {@code camel.server.maxBodySize} (Camel checks its form); without it, the decompressed bound. */
    private static long maxBodyBytes(SettingsReader r, long maxDecompressed) {
        String v = r.camel("camel.server.maxBodySize");
        try {
            long n = Long.parseLong(v);
            return n > 0 ? n : maxDecompressed;
        } catch (NumberFormatException e) {
            return maxDecompressed;
        }
    }

    /** {@code bridge.grpc.*}; the message bound is the HTTP side's {@code bridge.http.max-decompressed-bytes}. */
    static GrpcSettings grpc(SettingsReader r, HttpSettings http) {
        boolean enabled = r.bool("grpc.enabled", true);
        int port = r.port("grpc.port", 4317);
        String host = r.text("grpc.host", "");
        if (host.isEmpty()) {
            host = r.camel("camel.server.host");
        }
        long maxBytes = http.maxDecompressedBytes();
        if (maxBytes > Integer.MAX_VALUE) {
            r.errors.add(PREFIX + "http.max-decompressed-bytes: at most " + Integer.MAX_VALUE + " (the gRPC message "
                    + "bound), got " + maxBytes);
            maxBytes = Integer.MAX_VALUE;
        }
        if (enabled) {
            for (String other : new String[] {"camel.server.port", "camel.management.port", PREFIX + "http.tls.port"}) {
                if (String.valueOf(port).equals(r.camel(other))) {
                    r.errors.add(PREFIX + "grpc.port: must differ from " + other + " (both " + port + ")");
                }
            }
        }
        Path cert = null;
        Path key = null;
        if (r.bool("grpc.tls.enabled", false)) {
            for (String k : new String[] {"http.tls.certificate-path", "http.tls.key-path"}) {
                String v = r.text(k, "");
                if (v.isEmpty() || !Files.isReadable(Path.of(v))) {
                    r.errors.add(PREFIX + "grpc.tls.enabled: needs a readable " + PREFIX + k + ", got '" + v + "'");
                }
            }
            cert = Path.of(r.text("http.tls.certificate-path", ""));
            key = Path.of(r.text("http.tls.key-path", ""));
        }
        return new GrpcSettings(enabled, host.isEmpty() ? "0.0.0.0" : host, port, (int) maxBytes,
                r.positive("grpc.drain-timeout-ms", 10_000), cert, key);
    }

    /** {@code bridge.http.tls.*}: null when {@code bridge.http.tls.port} is 0 (the default). */
    private static HttpsSettings https(SettingsReader r) {
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
            if (String.valueOf(port).equals(r.camel(other))) {
                r.errors.add(PREFIX + "http.tls.port: must differ from " + other + " (both " + port + ")");
            }
        }
        if (host.isEmpty()) {
            host = r.camel("camel.server.host");
        }
        host = host.isEmpty() ? "0.0.0.0" : host;
        for (String[] f : new String[][] {{"http.tls.certificate-path", cert, "CERTIFICATE"},
                {"http.tls.key-path", key, "PRIVATE KEY"}}) {
            if (f[1].isEmpty()) {
                r.errors.add(PREFIX + f[0] + ": needed with " + PREFIX + "http.tls.port");
                continue;
            }
            try {
                String pem = Files.readString(Path.of(f[1]), StandardCharsets.US_ASCII);
                if (pem.contains("ENCRYPTED PRIVATE KEY") || pem.contains("Proc-Type: 4,ENCRYPTED")) {
                    r.errors.add(PREFIX + f[0] + ": " + f[1] + " is encrypted; the HTTPS server needs an unencrypted "
                            + "key (protect the file instead)");
                } else if (!pem.contains(f[2] + "-----")) {
                    r.errors.add(PREFIX + f[0] + ": " + f[1] + " holds no PEM '" + f[2] + "' block");
                }
            } catch (IOException | RuntimeException e) {
                r.errors.add(PREFIX + f[0] + ": cannot read " + f[1] + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        return new HttpsSettings((int) port, host, Path.of(cert), Path.of(key));
    }

    private static HttpAccess access(SettingsReader r) {
        List<String> ingest = List.of();
        List<String> read = List.of();
        try {
            ingest = HttpAccess.tokens(r.text("http.auth.ingest.token", ""), r.text("http.auth.ingest.token-file", ""));
        } catch (IOException e) {
            r.errors.add(PREFIX + "http.auth.ingest.token-file: " + tokenFileProblem(e));
        }
        try {
            read = HttpAccess.tokens(r.text("http.auth.read.token", ""), r.text("http.auth.read.token-file", ""));
        } catch (IOException e) {
            r.errors.add(PREFIX + "http.auth.read.token-file: " + tokenFileProblem(e));
        }
        List<String> origins = Arrays.stream(r.text("http.cors.allowed-origins", "").split(","))
                .map(String::trim).filter(o -> !o.isEmpty()).toList();
        for (String o : origins) {
            if (!o.equals("*") && !o.matches("https?://[^/\\s]+")) {
                r.errors.add(PREFIX + "http.cors.allowed-origins: expected origins such as https://app.example.com,"
                        + " got '" + o + "'");
            }
        }
        Tenants tenants = Tenants.NONE;
        String tenantsFile = r.text("http.auth.tenants-file", "").trim();
        if (!tenantsFile.isEmpty()) {
            try {
                tenants = Tenants.read(Path.of(tenantsFile));
                List<String> plain = new ArrayList<>(ingest);
                plain.addAll(read);
                List<String> both = new ArrayList<>(tenants.ingest().keySet());
                both.addAll(tenants.read().keySet());
                both.retainAll(plain);
                if (!both.isEmpty()) {
                    // Which tenant, if any, would such a token tell? Never guessed (the tokens are not named).
                    r.errors.add(PREFIX + "http.auth.tenants-file: " + both.size() + " token(s) of it are also "
                            + "bridge.http.auth.ingest/read tokens; list each token once");
                }
                ingest = new ArrayList<>(ingest);
                ingest.addAll(tenants.ingest().keySet());
                read = new ArrayList<>(read);
                read.addAll(tenants.read().keySet());
            } catch (IOException e) {
                r.errors.add(PREFIX + "http.auth.tenants-file: cannot read " + e.getMessage());
            } catch (IllegalArgumentException e) {
                r.errors.add(PREFIX + "http.auth.tenants-file: " + e.getMessage());
            }
        }
        long rate = r.nonNegative("http.auth.tenant-records-per-second", 0);
        return new HttpAccess(ingest, read, origins, tenants.withRate(rate));
    }

    private static String tokenFileProblem(IOException e) {
        return String.valueOf(e.getMessage()).endsWith("holds no token") ? e.getMessage()
                : "cannot read " + e.getMessage();
    }
}
