package io.telemetrybridge.config;

import io.telemetrybridge.otlp.OtlpEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads {@code bridge.*} keys through Camel's properties (so {@code application.properties}, {@code -D} system
 * properties and environment variables all apply), typed, with a default each, and collects every bad value as
 * a message that starts with the key. Remembers which keys were read, so that a key nobody reads can be reported
 * ({@link #unknownKeys}).
 */
final class SettingsReader {

    /** Prefix of all our own keys. */
    static final String PREFIX = "bridge.";

    final PropertiesComponent properties;
    /** Looks up a whole key ({@code bridge.x.y}), remembering it as known. */
    final Function<String, String> lookup;
    final List<String> errors = new ArrayList<>();
    /** Every key a setting looked up, present or not: what counts as a known key. */
    private final Set<String> read = ConcurrentHashMap.newKeySet();

    SettingsReader(PropertiesComponent properties) {
        this.properties = properties;
        this.lookup = key -> {
            read.add(key);
            return properties.resolveProperty(key).orElse(null);
        };
    }

    /** A key outside {@code bridge.*} (Camel's own), trimmed, or empty. */
    String camel(String key) {
        return properties.resolveProperty(key).orElse("").trim();
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

    /**
     * Every key under {@code prefix}: what Camel's properties component loads (the properties files and the
     * bridge's override properties), with {@code -D} system properties over it. Topic and Kafka client keys are
     * open-ended, so they are listed here rather than looked up; environment variables cannot name them
     * ({@code _} does not map back to {@code .}).
     */
    Properties keysUnder(String prefix) {
        Properties all = new Properties();
        Predicate<String> ours = k -> k.startsWith(prefix);
        all.putAll(properties.loadProperties(ours));
        System.getProperties().stringPropertyNames().stream().filter(ours)
                .forEach(k -> all.setProperty(k, System.getProperty(k)));
        return all;
    }

    /**
     * Reports every {@code bridge.*} key (in a properties file or a {@code -D} system property) that no setting
     * read, outside {@code openPrefixes}, with the nearest known key: a misspelt key would otherwise pass
     * silently ({@code bridge.topcs.partitions}). Environment variables cannot be checked this way ({@code _}
     * does not map back to {@code .} or {@code -}). {@code bridge.config} names the properties file itself.
     */
    void unknownKeys(List<String> openPrefixes) {
        for (String key : new TreeSet<>(keysUnder(PREFIX).stringPropertyNames())) {
            if (read.contains(key) || key.equals(PREFIX + "config")
                    || openPrefixes.stream().anyMatch(key::startsWith)) {
                continue;
            }
            String nearest = null;
            int best = Integer.MAX_VALUE;
            for (String known : read) {
                int d = distance(key, known);
                if (d < best) {
                    best = d;
                    nearest = known;
                }
            }
            errors.add(key + ": not a setting of the bridge" + (nearest != null && best <= Math.max(3, key.length() / 4)
                    ? "; did you mean " + nearest + "?" : " (application.properties lists them all)"));
        }
    }

    /**
     * The settings summary logged at start-up: every {@code camel.*} and {@code bridge.*} key given in a properties
     * file or as a {@code -D} system property, and every {@code bridge.*} key read that the environment sets, with
     * its value; a secret's value (a token, a password, a JAAS configuration) shows only as {@code set} or
     * {@code unset}. Keys left to their defaults are not listed (docs/configuration.md has them all).
     */
    List<String> summary() {
        Set<String> keys = new TreeSet<>(read);
        keys.addAll(keysUnder(PREFIX).stringPropertyNames());
        keys.addAll(keysUnder("camel.").stringPropertyNames());
        Properties given = keysUnder("");
        List<String> lines = new ArrayList<>();
        for (String key : keys) {
            String value;
            try {
                value = properties.resolveProperty(key).orElse(null);
            } catch (RuntimeException e) {
                value = given.getProperty(key);
            }
            if (value == null) {
                continue;
            }
            String lower = key.toLowerCase(Locale.ROOT);
            boolean secret = lower.contains("token") || lower.contains("password") || lower.contains("secret")
                    || lower.contains("jaas");
            lines.add(key + " = " + (secret ? (value.isBlank() ? "unset" : "set") : value.trim()));
        }
        return lines;
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
}
