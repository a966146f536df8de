package io.telemetrybridge.otlp;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes OTLP protobuf messages as OTLP/JSON (the OTLP specification's "JSON Protobuf Encoding"), the mirror of
 * {@link OtlpJsonReader}: lowerCamelCase names, trace and span ids as lower-case hex, 64-bit integers as
 * decimal strings, enums as integers, other bytes as base64, fields at their default value left out.
 */
public final class OtlpJsonWriter {

    private static final HexFormat HEX = HexFormat.of();

    private OtlpJsonWriter() {}

    /** {@code message} as UTF-8 OTLP/JSON. */
    public static byte[] write(Message message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JsonOut.FACTORY.createGenerator(out)) {
            writeMessage(g, message);
        }
        return out.toByteArray();
    }

    private static void writeMessage(JsonGenerator g, Message message) throws IOException {
        g.writeStartObject();
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor field = e.getKey();
            g.writeFieldName(field.getJsonName());
            if (field.isRepeated()) {
                g.writeStartArray();
                for (Object item : (List<?>) e.getValue()) {
                    writeValue(g, field, item);
                }
                g.writeEndArray();
            } else {
                writeValue(g, field, e.getValue());
            }
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, FieldDescriptor field, Object value) throws IOException {
        switch (field.getType()) {
            case MESSAGE, GROUP -> writeMessage(g, (Message) value);
            case STRING -> g.writeString((String) value);
            case BOOL -> g.writeBoolean((Boolean) value);
            case INT32, SINT32, SFIXED32 -> g.writeNumber((Integer) value);
            case UINT32, FIXED32 -> g.writeNumber(Integer.toUnsignedLong((Integer) value));
            case INT64, SINT64, SFIXED64 -> g.writeString(Long.toString((Long) value));
            case UINT64, FIXED64 -> g.writeString(Long.toUnsignedString((Long) value));
            case DOUBLE, FLOAT -> {
                double d = ((Number) value).doubleValue();
                if (Double.isFinite(d)) {
                    g.writeNumber(d);
                } else {
                    g.writeString(JsonOut.doubleText(d));
                }
            }
            case ENUM -> g.writeNumber(((EnumValueDescriptor) value).getNumber());
            case BYTES -> {
                ByteString bytes = (ByteString) value;
                g.writeString(OtlpJsonReader.isHexId(field)
                        ? HEX.formatHex(bytes.toByteArray())
                        : Base64.getEncoder().encodeToString(bytes.toByteArray()));
            }
        }
    }
}
