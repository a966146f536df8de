package io.telemetrybridge.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import io.telemetrybridge.support.Topics.Rec;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The OpenTelemetry protocol repository's example requests (copied unchanged into
 * {@code src/test/resources/fixtures/otlp}) posted to one running bridge, one per signal: the answer, and the
 * records on Kafka with their headers, compared field by field with the golden records (the codec itself is
 * tested over every example without a broker in {@link OtlpCodecTest}).
 */
@ExtendWith(KafkaBroker.class)
class OtlpGoldenTest {

    static RunningBridge bridge;

    @BeforeAll
    static void start() {
        bridge = RunningBridge.start();
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "trace.json,           traces,  application/json,       trace.records.json",
        "metrics.protobuf-bin, metrics, application/x-protobuf, metrics-protobuf.records.json",
        "logs.json,            logs,    application/json,       logs.records.json",
    })
    void exampleRequestLandsAsExpectedRecords(String fixture, String signal, String contentType, String expected) {
        HttpResponse<String> response = bridge.post("/v1/" + signal, contentType,
                Json.resource("fixtures/otlp/" + fixture));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(contentType);
        if (contentType.equals("application/json")) {
            assertThat(response.body()).isEqualTo("{}");
        } else {
            assertThat(response.body()).isEmpty();
        }
        JsonNode want = Json.resourceTree("golden/otlp/" + expected);
        List<Rec> records = Topics.readAll(bridge.topic(signal));
        // Records of one key keep their order; compare in the order sent.
        List<Rec> inOrder = new ArrayList<>(records);
        inOrder.sort(java.util.Comparator.comparingLong(Rec::offset));
        assertThat(records).hasSize(want.size());
        for (int i = 0; i < want.size(); i++) {
            Rec got = inOrder.get(i);
            assertThat(got.key()).isEqualTo(want.get(i).get("key").textValue());
            Json.assertSameTree(want.get(i).get("value"), Json.tree(got.value()));
            assertThat(got.headers()).containsEntry("telemetry.signal", signal)
                    .containsEntry("telemetry.source", "otlp-http")
                    .containsEntry("content-type", "application/json")
                    .containsEntry("telemetry.schema-version", "1");
        }
    }
}
