package io.telemetrybridge.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** JsonOut's hand-built RFC 3339 timestamps against java.time, over the whole unsigned range of *_unix_nano. */
class JsonOutTimeTest {

    private static final DateTimeFormatter NINE_DIGITS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String expected(long unixNano) {
        long seconds = Long.divideUnsigned(unixNano, 1_000_000_000L);
        long nanos = Long.remainderUnsigned(unixNano, 1_000_000_000L);
        return NINE_DIGITS.format(Instant.ofEpochSecond(seconds, nanos));
    }

    private static long nanos(String instant) {
        Instant t = Instant.parse(instant);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Test
    void calendarEdgesMatchJavaTime() {
        for (String t : new String[] {"1970-01-01T00:00:00.000000001Z", "1999-12-31T23:59:59.999999999Z",
                "2000-02-29T12:00:00Z", "2000-03-01T00:00:00Z", "2023-02-28T23:59:59.5Z", "2024-02-29T00:00:00Z",
                "2100-02-28T23:59:59Z", "2100-03-01T00:00:00Z", "2262-04-11T23:47:16.854775807Z"}) {
            long n = nanos(t);
            assertThat(JsonOut.rfc3339(n)).as(t).isEqualTo(expected(n));
        }
        // Past 2^63 ns (unsigned): 2262 onwards, up to the largest value, in the year 2554.
        assertThat(JsonOut.rfc3339(Long.MIN_VALUE)).isEqualTo("2262-04-11T23:47:16.854775808Z");
        assertThat(JsonOut.rfc3339(-1L)).isEqualTo("2554-07-21T23:34:33.709551615Z").isEqualTo(expected(-1L));
        assertThat(JsonOut.rfc3339(0)).isNull();
    }

    @Test
    void randomTimestampsMatchJavaTime() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            long n = random.nextLong();
            assertThat(JsonOut.rfc3339(n)).isEqualTo(expected(n));
        }
    }

    /** The generator's form, which reuses the date of the last second, is the same text in every order. */
    @Test
    void writtenTimestampsMatchInAnyOrder() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        long base = nanos("2025-06-30T23:59:58Z");
        long[] values = new long[2000];
        for (int i = 0; i < values.length; i++) {
            // Mostly a few seconds around midnight (same second again and again, then the next day), some anywhere.
            values[i] = i % 10 == 0 ? random.nextLong() : base + random.nextLong(4_000_000_000L);
        }
        values[5] = 0;
        try (JsonOut out = new JsonOut()) {
            for (long v : values) {
                out.g.writeStartObject();
                out.time("t", v);
                out.g.writeEndObject();
                JsonNode record = JSON.readTree(out.next());
                if (v == 0) {
                    assertThat(record.get("t").isNull()).isTrue();
                } else {
                    assertThat(record.get("t").textValue()).isEqualTo(expected(v));
                }
            }
        }
    }
}
