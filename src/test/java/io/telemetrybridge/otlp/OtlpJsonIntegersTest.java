package io.telemetrybridge.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.model.Signal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * OTLP/JSON integers at the edges of their types, read both by the reader's long fast path (JSON integers, plain
 * digit strings) and its exact path (anything else): the same values and the same refusals, with the field's
 * path. Source: OTLP specification, "JSON Protobuf Encoding" (64-bit integers as decimal strings or numbers).
 */
class OtlpJsonIntegersTest {

    private static final OtlpRequests REQUESTS = new OtlpRequests(64, 1 << 20);

    private static LogRecord log(String time, String intValue) {
        String json = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":" + time
                + ",\"body\":{\"intValue\":" + intValue + "}}]}]}]}";
        ExportLogsServiceRequest r = (ExportLogsServiceRequest) REQUESTS.decode(Signal.LOGS, "application/json",
                null, json.getBytes(StandardCharsets.UTF_8));
        return r.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    }

    @Test
    void unsignedAndSignedSixtyFourBitValuesAreExact() {
        assertThat(log("\"1544712660000000000\"", "1").getTimeUnixNano()).isEqualTo(1544712660000000000L);
        assertThat(log("1544712660000000000", "1").getTimeUnixNano()).isEqualTo(1544712660000000000L);
        // fixed64 beyond a signed long: 19 and 20 digits, held as Java's negative longs.
        assertThat(Long.toUnsignedString(log("\"9999999999999999999\"", "1").getTimeUnixNano()))
                .isEqualTo("9999999999999999999");
        assertThat(log("\"18446744073709551615\"", "1").getTimeUnixNano()).isEqualTo(-1L);
        assertThat(log("18446744073709551615", "1").getTimeUnixNano()).isEqualTo(-1L);
        assertThat(log("\"1e3\"", "1").getTimeUnixNano()).isEqualTo(1000L);
        assertThat(log("\"007\"", "1").getTimeUnixNano()).isEqualTo(7L);
        assertThat(log("\"1\"", "\"-9223372036854775808\"").getBody().getIntValue()).isEqualTo(Long.MIN_VALUE);
        assertThat(log("\"1\"", "-9223372036854775808").getBody().getIntValue()).isEqualTo(Long.MIN_VALUE);
        assertThat(log("\"1\"", "\"-5\"").getBody().getIntValue()).isEqualTo(-5L);
    }

    @Test
    void valuesOutsideTheirTypeAreRefusedWithTheirPath() {
        String at = "resourceLogs[0].scopeLogs[0].logRecords[0].";
        assertThatThrownBy(() -> log("\"-1\"", "1")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(at + "timeUnixNano").hasMessageContaining("unsigned 64-bit integer, got -1");
        assertThatThrownBy(() -> log("-1", "1")).hasMessageContaining("unsigned 64-bit integer, got -1");
        assertThatThrownBy(() -> log("\"18446744073709551616\"", "1"))
                .hasMessageContaining("unsigned 64-bit integer, got 18446744073709551616");
        assertThatThrownBy(() -> log("\"1\"", "\"9223372036854775808\""))
                .hasMessageContaining(at + "body.intValue").hasMessageContaining("integer out of range");
        assertThatThrownBy(() -> log("\"1\"", "9223372036854775808")).hasMessageContaining("integer out of range");
        assertThatThrownBy(() -> log("\"12x\"", "1")).hasMessageContaining("expected an integer, got \"12x\"");
    }
}
