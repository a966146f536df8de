package io.telemetrybridge.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.telemetrybridge.model.MetricValue;
import java.io.IOException;
import java.util.Set;

/**
 * Reads and writes {@link MetricValue} as serde's externally tagged enum: an object with exactly one key,
 * the variant name, whose value is the variant's content ({@code {"Counter": 3.0}}). Source: docs/seed-api.md.
 */
final class MetricValueJson {

    static final String VARIANTS = "expected one of Counter, Gauge, Histogram, Summary";
    private static final Set<String> KNOWN = Set.of("Counter", "Gauge", "Histogram", "Summary");

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
            if (!KNOWN.contains(variant)) {
                return (MetricValue) ctxt.reportInputMismatch(MetricValue.class, "%s, got \"%s\"", VARIANTS, variant);
            }
            p.nextToken();
            MetricValue value;
            try {
                value = variant(variant, p, ctxt);
            } catch (JsonMappingException e) {
                // The variant key is not a bean property, so Jackson's path lacks it.
                throw JsonMappingException.wrapWithPath(e, MetricValue.class, variant);
            }
            if (p.nextToken() != JsonToken.END_OBJECT) {
                return (MetricValue) ctxt.reportInputMismatch(MetricValue.class,
                        "expected exactly one variant key, got \"%s\" and \"%s\"", variant, p.currentName());
            }
            return value;
        }

        private static MetricValue variant(String variant, JsonParser p, DeserializationContext ctxt)
                throws IOException {
            return switch (variant) {
                case "Counter" -> new MetricValue.Counter(ctxt.readValue(p, double.class));
                case "Gauge" -> new MetricValue.Gauge(ctxt.readValue(p, double.class));
                case "Histogram" -> ctxt.readValue(p, MetricValue.Histogram.class);
                case "Summary" -> ctxt.readValue(p, MetricValue.Summary.class);
                default -> throw new IllegalStateException("unreachable: " + variant);
            };
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
            } else if (value instanceof MetricValue.Histogram h) {
                gen.writeObjectFieldStart("Histogram");
                gen.writeArrayFieldStart("buckets");
                for (MetricValue.Bucket b : h.buckets()) {
                    gen.writeStartObject();
                    gen.writeNumberField("upper_bound", b.upperBound());
                    gen.writeNumberField("count", b.count());
                    gen.writeEndObject();
                }
                gen.writeEndArray();
                gen.writeNumberField("sum", h.sum());
                gen.writeNumberField("count", h.count());
                gen.writeEndObject();
            } else if (value instanceof MetricValue.Summary s) {
                gen.writeObjectFieldStart("Summary");
                gen.writeArrayFieldStart("quantiles");
                for (MetricValue.Quantile q : s.quantiles()) {
                    gen.writeStartObject();
                    gen.writeNumberField("quantile", q.quantile());
                    gen.writeNumberField("value", q.value());
                    gen.writeEndObject();
                }
                gen.writeEndArray();
                gen.writeNumberField("sum", s.sum());
                gen.writeNumberField("count", s.count());
                gen.writeEndObject();
            }
            gen.writeEndObject();
        }
    }
}
