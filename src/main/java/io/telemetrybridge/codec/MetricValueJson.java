package io.telemetrybridge.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.telemetrybridge.model.MetricValue;
import java.io.IOException;

/**
 * Reads and writes {@link MetricValue} as serde's externally tagged enum: an object with exactly one key,
 * the variant name, whose value is the variant's content ({@code {"Counter": 3.0}}). Source: SEED-MODEL.md.
 */
final class MetricValueJson {

    static final String VARIANTS = "expected one of Counter, Gauge, Histogram, Summary";

    private MetricValueJson() {}

    static final class Reader extends JsonDeserializer<MetricValue> {
        @Override
        public MetricValue deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.isExpectedStartObjectToken()) {
                return (MetricValue) ctxt.handleUnexpectedToken(MetricValue.class, p.currentToken(), p,
                        "%s as an object with one key", VARIANTS);
            }
            String variant = p.nextFieldName();
            if (variant == null) {
                return (MetricValue) ctxt.reportInputMismatch(MetricValue.class, VARIANTS + ", got {}");
            }
            p.nextToken();
            MetricValue value = switch (variant) {
                case "Counter" -> new MetricValue.Counter(ctxt.readValue(p, double.class));
                case "Gauge" -> new MetricValue.Gauge(ctxt.readValue(p, double.class));
                case "Histogram" -> ctxt.readValue(p, MetricValue.Histogram.class);
                case "Summary" -> ctxt.readValue(p, MetricValue.Summary.class);
                default -> (MetricValue) ctxt.reportInputMismatch(MetricValue.class,
                        "%s, got \"%s\"", VARIANTS, variant);
            };
            if (p.nextToken() != JsonToken.END_OBJECT) {
                return (MetricValue) ctxt.reportInputMismatch(MetricValue.class,
                        "exactly one variant key expected, got \"%s\" and \"%s\"", variant, p.currentName());
            }
            return value;
        }
    }

    static final class Writer extends JsonSerializer<MetricValue> {
        @Override
        public void serialize(MetricValue value, JsonGenerator gen, SerializerProvider serializers)
                throws IOException {
            gen.writeStartObject();
            if (value instanceof MetricValue.Counter c) {
                gen.writeNumberField("Counter", c.value());
            } else if (value instanceof MetricValue.Gauge g) {
                gen.writeNumberField("Gauge", g.value());
            } else {
                gen.writeFieldName(value instanceof MetricValue.Histogram ? "Histogram" : "Summary");
                // The variant records carry no custom serializer, so this cannot recurse here.
                serializers.findValueSerializer(value.getClass()).serialize(value, gen, serializers);
            }
            gen.writeEndObject();
        }
    }
}
