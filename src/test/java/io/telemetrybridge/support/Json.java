package io.telemetrybridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;

/** JSON helpers for tests: golden files from the classpath and tree comparison where 10 equals 10.0. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    /** Orders numbers by value and everything else by equality (0) or not (1). */
    private static final Comparator<JsonNode> NUMERIC = (a, b) -> {
        if (a instanceof NumericNode && b instanceof NumericNode) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private Json() {}

    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] resource(String path) {
        try (InputStream in = Json.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode resourceTree(String path) {
        try {
            return MAPPER.readTree(resource(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code true} if the trees are equal, numbers compared by value. */
    public static boolean sameTree(JsonNode expected, JsonNode actual) {
        return expected.equals(NUMERIC, actual);
    }

    public static void assertSameTree(JsonNode expected, JsonNode actual) {
        assertThat(sameTree(expected, actual)).as("expected %s%n but was %s", expected, actual).isTrue();
    }
}
