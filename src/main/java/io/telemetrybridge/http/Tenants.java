package io.telemetrybridge.http;

import io.telemetrybridge.model.ExchangeProperties;
import io.vertx.ext.auth.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

/**
 * Tenants from tokens ({@code bridge.http.auth.tenants-file}; docs/routing.md, "Tenants"): a file of lines
 * {@code <tenant> <ingest|read> <token>} ({@code #} comments), whose tokens are accepted by their group like the
 * other tokens and tell the request's tenant. The tenant is what the token says, never what the request says:
 * the door that checked the token records it (HTTP: Vert.x's authenticated user, which Camel passes on as a
 * header clients cannot set; gRPC: exchange property {@link ExchangeProperties#TENANT}).
 *
 * @param ingest            ingestion token → tenant
 * @param read              read token → tenant
 * @param recordsPerSecond  bound on the records each tenant may send per second
 *                          ({@code bridge.http.auth.tenant-records-per-second}); 0 for none
 */
public record Tenants(Map<String, String> ingest, Map<String, String> read, long recordsPerSecond) {

    /** No tenants. */
    public static final Tenants NONE = new Tenants(Map.of(), Map.of(), 0);

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public Tenants {
        ingest = Map.copyOf(ingest);
        read = Map.copyOf(read);
    }

    /**
     * Reads a tenants file.
     *
     * @throws IOException              when it cannot be read
     * @throws IllegalArgumentException naming the line (never the token) of a malformed entry, a tenant id
     *                                  outside {@code [A-Za-z0-9._-]{1,64}}, or a token listed twice
     */
    public static Tenants read(Path file) throws IOException {
        Map<String, String> ingest = new LinkedHashMap<>();
        Map<String, String> read = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String where = file + " line " + (i + 1) + ": ";
            if (parts.length != 3) {
                throw new IllegalArgumentException(where + "expected <tenant> <ingest|read> <token>");
            }
            if (!ID.matcher(parts[0]).matches()) {
                throw new IllegalArgumentException(where + "tenant '" + parts[0]
                        + "' is not 1-64 characters of [A-Za-z0-9._-]");
            }
            String group = parts[1].toLowerCase(Locale.ROOT);
            if (!group.equals("ingest") && !group.equals("read")) {
                throw new IllegalArgumentException(where + "group '" + parts[1] + "': expected ingest or read");
            }
            if (!seen.add(parts[2])) {
                throw new IllegalArgumentException(where + "this token is listed already");
            }
            (group.equals("ingest") ? ingest : read).put(parts[2], parts[0]);
        }
        if (ingest.isEmpty() && read.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no tenant");
        }
        return new Tenants(ingest, read, 0);
    }

    /** The same tenants with a records-per-second bound. */
    public Tenants withRate(long perSecond) {
        return new Tenants(ingest, read, perSecond);
    }

    /** Every tenant named, sorted. */
    public Set<String> names() {
        Set<String> all = new java.util.TreeSet<>(ingest.values());
        all.addAll(read.values());
        return all;
    }

    /** The tenant its door recorded for the request of {@code exchange}, or null. */
    public static String of(Exchange exchange) {
        String tenant = exchange.getProperty(ExchangeProperties.TENANT, String.class);
        if (tenant != null) {
            return tenant;
        }
        Object user = exchange.getMessage().getHeader(VertxPlatformHttpConstants.AUTHENTICATED_USER);
        return user instanceof User u ? u.subject() : null;
    }

    @Override
    public String toString() {
        return "Tenants[" + names().size() + " tenant(s), " + (ingest.size() + read.size()) + " token(s)"
                + (recordsPerSecond > 0 ? ", " + recordsPerSecond + " records/s each" : "") + "]";
    }
}
