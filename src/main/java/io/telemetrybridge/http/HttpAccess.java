package io.telemetrybridge.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Who may call the HTTP endpoints ({@code bridge.http.auth.*}, {@code bridge.http.cors.*}; docs/security.md).
 * Tokens come from a comma-separated key (set it through an environment variable such as
 * {@code BRIDGE_HTTP_AUTH_INGEST_TOKENS}, not in the file) or from a file of one token per line; none means the
 * endpoints are open. {@link #toString()} never shows a token.
 *
 * @param ingestTokens   tokens accepted by the ingestion endpoints (OTLP/HTTP and the seed API)
 * @param readTokens     tokens accepted by queries, trace lookups, stats, cluster and topics
 * @param allowedOrigins browser origins allowed by CORS; empty turns CORS off
 * @param tenants        tokens that tell a tenant ({@code bridge.http.auth.tenants-file}); they are among
 *                       {@code ingestTokens} and {@code readTokens} too
 */
public record HttpAccess(List<String> ingestTokens, List<String> readTokens, List<String> allowedOrigins,
        Tenants tenants) {

    public HttpAccess {
        ingestTokens = List.copyOf(ingestTokens);
        readTokens = List.copyOf(readTokens);
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** Access without tenants. */
    public HttpAccess(List<String> ingestTokens, List<String> readTokens, List<String> allowedOrigins) {
        this(ingestTokens, readTokens, allowedOrigins, Tenants.NONE);
    }

    /** The ingestion tokens, or null when ingestion is open. */
    public BearerTokens ingest() {
        return ingestTokens.isEmpty() ? null : new BearerTokens(ingestTokens, "ingest", tenants.ingest());
    }

    /** The read tokens, or null when reads are open. */
    public BearerTokens read() {
        return readTokens.isEmpty() ? null : new BearerTokens(readTokens, "read", tenants.read());
    }

    /**
     * Tokens from {@code inline} (comma-separated) and from {@code file} (one per line, # comments).
     *
     * @throws IOException when the file cannot be read or holds no token
     */
    public static List<String> tokens(String inline, String file) throws IOException {
        List<String> out = new ArrayList<>();
        if (inline != null) {
            Arrays.stream(inline.split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(out::add);
        }
        if (file != null && !file.isBlank()) {
            int before = out.size();
            for (String line : Files.readAllLines(Path.of(file.trim()))) {
                String t = line.trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            }
            if (out.size() == before) {
                // A file meant to close the endpoints must not leave them open because it is empty.
                throw new IOException(file.trim() + " holds no token");
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "HttpAccess[ingestTokens=" + ingestTokens.size() + " configured, readTokens=" + readTokens.size()
                + " configured, allowedOrigins=" + allowedOrigins + ", " + tenants + "]";
    }
}
