package io.telemetrybridge.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast RFC 3339 path gives exactly what DateTimeFormatter.ISO_INSTANT gives, and leaves the rest to it. */
class InstantJsonTest {

    @Test
    void writesAndReadsLikeIsoInstant() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-2_000_000_000L, 253_402_300_799L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            String iso = DateTimeFormatter.ISO_INSTANT.format(instant);
            assertThat(InstantJson.format(instant)).isEqualTo(iso);
            assertThat(InstantJson.parse(iso)).isEqualTo(instant);
        }
    }

    @Test
    void offsetsAreConvertedToUtcAndOddShapesAreLeftToTheFullReader() {
        assertThat(InstantJson.parse("2025-01-01T12:00:00.5+02:00")).isEqualTo(Instant.parse("2025-01-01T10:00:00.5Z"));
        assertThat(InstantJson.parse("2025-01-01T12:00:00-01:30")).isEqualTo(Instant.parse("2025-01-01T13:30:00Z"));
        for (String odd : new String[] {"2025-02-30T00:00:00Z", "2025-01-01t12:00:00Z", "2025-01-01T12:00:00",
                "2025-01-01T24:00:00Z", "2025-01-01T12:00:60Z", "2025-01-01T12:00:00.Z",
                "2025-01-01T12:00:00.1234567890Z", "+12025-01-01T12:00:00Z", "2025-01-01 12:00:00Z"}) {
            assertThat(InstantJson.parse(odd)).as(odd).isNull();
        }
    }
}
