package io.telemetrybridge.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.SerializableString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import org.junit.jupiter.api.Test;

/** JsonOut's instance per thread and its rendered contexts: reused only when that cannot change a record. */
class JsonOutReuseTest {

    private static Resource resource(String service) {
        return Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service))).build();
    }

    @Test
    void theThreadsInstanceIsReusedBetweenRecordsOnly() throws Exception {
        JsonOut out = JsonOut.ofThread();
        out.g.writeStartObject();
        out.string("a", "b");
        out.g.writeEndObject();
        assertThat(new String(out.next(), "UTF-8")).isEqualTo("{\"a\":\"b\"}");
        assertThat(JsonOut.ofThread()).isSameAs(out);

        // Left inside a record (as an exception while writing one leaves it): not handed out again.
        out.g.writeStartObject();
        JsonOut fresh = JsonOut.ofThread();
        assertThat(fresh).isNotSameAs(out);
        fresh.g.writeStartObject();
        fresh.g.writeEndObject();
        assertThat(new String(fresh.next(), "UTF-8")).isEqualTo("{}");

        // A very large value would keep its buffer that large: retired.
        fresh.g.writeStartObject();
        fresh.string("big", "x".repeat(100_000));
        fresh.g.writeEndObject();
        // Longer than the generator's buffer: flushed in several writes, gathered whole.
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(fresh.next()).get("big").textValue())
                .isEqualTo("x".repeat(100_000));
        assertThat(JsonOut.ofThread()).isNotSameAs(fresh);
    }

    @Test
    void aContextIsRenderedAgainUnlessItsMessagesAreTheSame() throws Exception {
        JsonOut out = JsonOut.ofThread();
        Resource shop = resource("shop");
        InstrumentationScope scope = InstrumentationScope.newBuilder().setName("lib").build();
        SerializableString first = out.context(shop, "", scope, "");
        assertThat(out.context(shop, "", scope, "")).isSameAs(first);
        assertThat(first.getValue()).startsWith(",\"service_name\":\"shop\"");

        SerializableString equal = out.context(resource("shop"), "", scope, "");
        assertThat(equal).isNotSameAs(first);
        assertThat(equal.getValue()).isEqualTo(first.getValue());

        assertThat(out.context(resource("cart"), "", scope, "").getValue()).startsWith(",\"service_name\":\"cart\"");
        assertThat(out.context(shop, "https://opentelemetry.io/schemas/1.21.0", scope, "").getValue())
                .contains("https://opentelemetry.io/schemas/1.21.0");
        assertThat(out.context(shop, "", InstrumentationScope.newBuilder().setName("other").build(), "").getValue())
                .contains("\"other\"");
    }
}
