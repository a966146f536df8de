package io.telemetrybridge.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import org.junit.jupiter.api.Test;

/** Attribute values as the json encoding writes them. */
class JsonOutValuesTest {

    /** A profiles string-table index outside profiles is read as absent (common.proto), not as its number. */
    @Test
    void aStringTableIndexIsWrittenAsAbsent() throws Exception {
        AnyValue strindex = AnyValue.newBuilder().setStringValueStrindex(3).build();
        assertThat(JsonOut.attributeText(strindex)).isEqualTo(JsonOut.attributeText(AnyValue.getDefaultInstance()))
                .isEmpty();
        AnyValue array = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(strindex)
                .addValues(AnyValue.newBuilder().setIntValue(3))).build();
        assertThat(JsonOut.attributeText(array)).isEqualTo("[null,3]");
    }

    @Test
    void aLogBodyThatIsAStringTableIndexIsAnEmptyMessage() throws Exception {
        var request = io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(io.opentelemetry.proto.logs.v1.ResourceLogs.newBuilder()
                        .addScopeLogs(io.opentelemetry.proto.logs.v1.ScopeLogs.newBuilder()
                                .addLogRecords(io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                                        .setBody(AnyValue.newBuilder().setStringValueStrindex(7)))))
                .build();
        var record = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(LogRecords.encode(request).get(0).value());
        assertThat(record.get("message").textValue()).isEmpty();
        assertThat(record.get("body").isNull()).isTrue();
    }
}
