package io.telemetrybridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.telemetrybridge.support.LogCapture;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A repeated warning is logged once per period, not once per request. */
class ThrottledTest {

    @Test
    void aBurstOfTheSameWarningIsOneLine() {
        Throttled throttled = new Throttled();
        try (LogCapture capture = LogCapture.start("throttled-test")) {
            for (int i = 0; i < 50; i++) {
                throttled.warn(LoggerFactory.getLogger(ThrottledTest.class), "Kafka did not accept records for {}: {}",
                        "ingest-otlp-traces", "timeout " + i);
            }
            assertThat(capture.lines()).filteredOn(l -> l.contains("Kafka did not accept records")).singleElement()
                    .satisfies(l -> assertThat(l).contains("ingest-otlp-traces: timeout 0"));
        }
    }
}
