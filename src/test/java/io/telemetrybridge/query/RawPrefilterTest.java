package io.telemetrybridge.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RawPrefilterTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static ConsumerRecord<byte[], byte[]> record(String schema, String json) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        if (schema != null) {
            headers.add("telemetry.schema-version", schema.getBytes(StandardCharsets.UTF_8));
        }
        // Written by Jackson, as the bridge writes its records.
        byte[] value = JSON.writeValueAsBytes(JSON.readTree(json));
        return new ConsumerRecord<>("t", 0, 0, 0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0,
                null, value, headers, java.util.Optional.empty());
    }

    static FieldFilter filter(Operator op, FilterValue value) {
        return FieldFilter.of("attributes.hit", op, value);
    }

    @Test
    void neverSkipsARecordThatMatches() throws Exception {
        List<String> records = List.of("{\"attributes\": {\"hit\": \"true\"}}", "{\"attributes\": {\"hit\": true}}",
                "{\"attributes\": {\"hit\": \"café-true\"}}", "{\"attributes\": {\"hit\": [\"x\", \"true\"]}}",
                "{\"attributes\": {\"hit\": \"false\"}}", "{\"attributes\": {}}");
        List<FieldFilter> filters = List.of(
                filter(Operator.EQUALS, new FilterValue.StringValue("true")),
                filter(Operator.CONTAINS, new FilterValue.StringValue("true")),
                filter(Operator.ENDS_WITH, new FilterValue.StringValue("true")),
                filter(Operator.IN, new FilterValue.ArrayValue(List.of(new FilterValue.StringValue("true"),
                        new FilterValue.StringValue("x")))),
                filter(Operator.EQUALS, new FilterValue.BooleanValue(true)));
        for (String json : records) {
            JsonNode tree = JSON.readTree(json);
            for (FieldFilter f : filters) {
                if (f.test(tree)) {
                    assertThat(RawPrefilter.of(List.of(f)).mayMatch(record("1", json))).as("%s on %s", f, json)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void skipsRecordsOfTheBridgeWithoutTheStringAndKeepsOthers() throws Exception {
        RawPrefilter p = RawPrefilter.of(List.of(filter(Operator.EQUALS, new FilterValue.StringValue("true"))));

        assertThat(p.mayMatch(record("1", "{\"attributes\": {\"hit\": \"false\"}}"))).isFalse();
        // OTLP requests hold fields (hex ids, level names) that exist only once decoded.
        assertThat(p.mayMatch(record("otlp_proto", "{\"attributes\": {\"hit\": \"false\"}}"))).isTrue();
        // Not written by the bridge (another writer may escape characters): always decoded.
        assertThat(p.mayMatch(record(null, "{\"attributes\": {\"hit\": \"false\"}}"))).isTrue();
        assertThat(p.mayMatch(record("otlp_json", "{\"attributes\": {\"hit\": \"false\"}}"))).isTrue();
    }

    @Test
    void numberLikeOrUnusualStringsAreNotPrefiltered() throws Exception {
        String json = "{\"attributes\": {\"hit\": 1.0E10}}";
        for (String text : List.of("10000000000", "a\"b", "naïve")) {
            RawPrefilter p = RawPrefilter.of(List.of(filter(Operator.EQUALS, new FilterValue.StringValue(text))));
            assertThat(p.mayMatch(record("1", json))).as(text).isTrue();
        }
    }
}
