package io.telemetrybridge.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JacksonException;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import io.telemetrybridge.codec.JsonSyntax;
import io.telemetrybridge.error.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaConversionException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Reads OTLP/JSON into the generated OTLP protobuf messages, following the OTLP specification's "JSON Protobuf
 * Encoding" where it differs from plain proto3 JSON (which protobuf-java-util's {@code JsonFormat} implements,
 * and which is why that library is not used here):
 * <ul>
 *   <li>{@code traceId}, {@code spanId}, {@code parentSpanId} are hex strings (any case), not base64;
 *       a trace id must be 16 bytes and a span id 8 bytes (or empty);</li>
 *   <li>64-bit integers arrive as decimal strings or JSON numbers and are kept exact;</li>
 *   <li>enums are integers (names are tolerated);</li>
 *   <li>field names are lowerCamelCase; the proto (snake_case) names are accepted too;</li>
 *   <li>unknown fields are ignored; {@code null} means "not set";</li>
 *   <li>a field is given once: a repeated key, or the JSON and the proto name of one field, is refused.</li>
 * </ul>
 * Everything else is proto3 JSON (other {@code bytes} fields are base64). Nesting deeper than the configured
 * limit is refused before it can exhaust the stack. Works over the message descriptors, so the model itself is
 * the library's generated code.
 */
public final class OtlpJsonReader {

    /** The OTLP fields whose bytes are hex on the wire, with their required lengths in bytes. */
    private static final Map<String, Integer> HEX_ID_FIELDS = Map.of(
            "trace_id", 16, "span_id", 8, "parent_span_id", 8);

    /** Fields by JSON and proto name, per generated builder class (the setters below belong to that class). */
    private static final Map<Class<?>, Map<String, Field>> FIELDS = new ConcurrentHashMap<>();

    /**
     * What reading a field needs, taken from its descriptor and its builder class once: protobuf 4's descriptor
     * getters (type, java type) look at the field's features on every call, and its reflective {@code setField},
     * {@code addRepeatedField}, {@code hasOneof} and {@code newBuilderForField} were half of the CPU of reading
     * OTLP/JSON in profiles (async-profiler, bench/profile.sh). So a field is set through the generated setter
     * itself ({@code setName}, {@code addAttributes}, {@code setKindValue}), bound once ({@link #generatedSetter}), a
     * message field's builder comes from its default instance, and a oneof is checked with bits.
     *
     * @param bit       this field's bit in a message's fields read so far (1 &lt;&lt; index)
     * @param oneofBits the bits of every member of this field's oneof (0: in none)
     * @param prototype a message field's default instance (null for other fields)
     * @param setter    the builder's own setter (adder for a repeated field), or null: reflection then
     */
    private record Field(FieldDescriptor descriptor, FieldDescriptor.JavaType javaType, boolean unsigned,
            boolean repeated, OneofDescriptor oneof, Integer hexIdLength, long bit, long oneofBits,
            Message prototype, BiConsumer<Object, Object> setter) {

        static Field of(Message.Builder builder, FieldDescriptor f) {
            boolean unsigned = switch (f.getType()) {
                case UINT32, FIXED32, UINT64, FIXED64 -> true;
                default -> false;
            };
            long oneofBits = 0;
            if (f.getContainingOneof() != null) {
                for (FieldDescriptor member : f.getContainingOneof().getFields()) {
                    oneofBits |= 1L << member.getIndex();
                }
            }
            Message prototype = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    ? builder.newBuilderForField(f).getDefaultInstanceForType() : null;
            return new Field(f, f.getJavaType(), unsigned, f.isRepeated(), f.getContainingOneof(),
                    HEX_ID_FIELDS.get(f.getName()), 1L << f.getIndex(), oneofBits, prototype,
                    generatedSetter(builder.getClass(), f, prototype));
        }

        /** Sets (or, repeated, adds) {@code value} as {@link OtlpJsonReader#value} read it. */
        void set(Message.Builder builder, Object value) {
            if (setter != null) {
                setter.accept(builder, javaType == FieldDescriptor.JavaType.ENUM
                        ? (Object) ((EnumValueDescriptor) value).getNumber() : value);
            } else if (repeated) {
                builder.addRepeatedField(descriptor, value);
            } else {
                builder.setField(descriptor, value);
            }
        }

        /** A new builder for this message field's type. */
        Message.Builder newBuilder(Message.Builder parent) {
            return prototype != null ? prototype.newBuilderForType() : parent.newBuilderForField(descriptor);
        }
    }

    /**
     * The generated builder's setter of {@code f} ({@code setX}, {@code addX}; {@code setXValue} for an enum, which
     * keeps unknown numbers as proto3's open enums do) as a function (builder, boxed value); null when the class has
     * none by protobuf-java's naming (a dynamic message, say), and the field is then set by reflection.
     */
    private static BiConsumer<Object, Object> generatedSetter(Class<?> builderClass, FieldDescriptor f, Message prototype) {
        Class<?> type = switch (f.getJavaType()) {
            case INT, ENUM -> int.class;
            case LONG -> long.class;
            case FLOAT -> float.class;
            case DOUBLE -> double.class;
            case BOOLEAN -> boolean.class;
            case STRING -> String.class;
            case BYTE_STRING -> ByteString.class;
            case MESSAGE -> prototype.getClass();
        };
        String name = (f.isRepeated() ? "add" : "set") + camelCase(f.getName())
                + (f.getJavaType() == FieldDescriptor.JavaType.ENUM ? "Value" : "");
        try {
            Method method = builderClass.getMethod(name, type);
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodType boxed = MethodType.methodType(void.class, builderClass, MethodType.methodType(type).wrap()
                    .returnType());
            CallSite site = LambdaMetafactory.metafactory(lookup, "accept", MethodType.methodType(BiConsumer.class),
                    MethodType.methodType(void.class, Object.class, Object.class), lookup.unreflect(method), boxed);
            @SuppressWarnings("unchecked")
            BiConsumer<Object, Object> setter = (BiConsumer<Object, Object>) site.getTarget().invoke();
            return setter;
        } catch (ReflectiveOperationException | LambdaConversionException e) {
            // No setter by that name (or none accessible): the field is set by reflection.
            return null;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot bind " + builderClass.getName() + "." + name, e);
        }
    }

    /** protobuf-java's accessor name of a field: {@code parent_span_id} -&gt; {@code ParentSpanId}. */
    static String camelCase(String protoName) {
        StringBuilder out = new StringBuilder(protoName.length());
        boolean upper = true;
        for (int i = 0; i < protoName.length(); i++) {
            char c = protoName.charAt(i);
            if (c == '_') {
                upper = true;
            } else if (Character.isDigit(c)) {
                out.append(c);
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /**
     * Where a value sits, as a JSON path ({@code resourceSpans[0].scopeSpans[0].spans[3].name}), made into text
     * only for an error message: building it for every field was most of the reader's allocation.
     */
    private record At(At parent, String name, int index) {
        static final At ROOT = new At(null, null, -1);

        At field(String n) {
            return new At(this, n, -1);
        }

        At item(int i) {
            return new At(this, null, i);
        }

        @Override
        public String toString() {
            if (parent == null) {
                return "";
            }
            String before = parent.toString();
            if (name == null) {
                return before + "[" + index + "]";
            }
            return before.isEmpty() ? name : before + "." + name;
        }
    }

    private final JsonFactory factory;
    private final int maxDepth;

    /**
     * @param maxDepth deepest nesting of JSON objects and arrays accepted
     */
    public OtlpJsonReader(int maxDepth) {
        this.maxDepth = maxDepth;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth)
                        // Sizes are bounded by the request's own limit (413), not by Jackson's defaults (a 400
                        // that would blame the nesting).
                        .maxStringLength(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE)
                        .maxNameLength(Integer.MAX_VALUE).maxDocumentLength(-1).build())
                // A repeated key of a known field is refused while reading (readObject); unknown ones are skipped.
                .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /**
     * Merges the JSON document in {@code in} into {@code builder}.
     *
     * @throws InvalidInputException naming the field path (in JSON names) when the document is not valid
     *                               OTLP/JSON or nests too deeply
     */
    public <B extends Message.Builder> B read(InputStream in, B builder) {
        try (JsonParser p = factory.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException("", "expected a JSON object");
            }
            readObject(p, builder, At.ROOT);
            if (p.nextToken() != null) {
                throw new InvalidInputException("", "unexpected content after the JSON object");
            }
            return builder;
        } catch (StreamConstraintsException e) {
            if (!String.valueOf(e.getMessage()).contains("nesting depth")) {
                throw new InvalidInputException("", "JSON over a parser limit: " + e.getOriginalMessage());
            }
            throw new InvalidInputException("", "JSON nested too deeply: more than " + maxDepth
                    + " levels of objects and arrays (bridge.otlp.max-json-depth)");
        } catch (JacksonException e) {
            throw new InvalidInputException("", JsonSyntax.malformed(e));
        } catch (IOException e) {
            throw new InvalidInputException("", "unreadable body: " + e.getMessage());
        }
    }

    private void readObject(JsonParser p, Message.Builder builder, At path) throws IOException {
        Map<String, Field> fields = fieldsOf(builder);
        // Fields read so far, by Field.bit: a second value would silently replace the first. (Jackson's own
        // duplicate detection hashes every key of every object, a tenth of the CPU of reading OTLP/JSON.)
        long seen = 0;
        // Singular fields set (not null), for the oneof check.
        long set = 0;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken token = p.nextToken();
            Field field = fields.get(name);
            if (field != null) {
                if ((seen & field.bit()) != 0) {
                    throw new InvalidInputException(path.field(name).toString(), "Duplicate field '" + name
                            + "' (a field is given once, by its JSON name or its proto name)");
                }
                seen |= field.bit();
            }
            if (field == null || token == JsonToken.VALUE_NULL) {
                p.skipChildren();
                continue;
            }
            At fieldPath = path.field(name);
            if (field.repeated()) {
                if (token != JsonToken.START_ARRAY) {
                    throw new InvalidInputException(fieldPath.toString(), "expected an array");
                }
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    field.set(builder, value(p, builder, field, fieldPath.item(i++)));
                }
            } else {
                // proto3 JSON: one member of a oneof, once (a second would silently replace the first).
                if ((set & field.oneofBits()) != 0) {
                    throw new InvalidInputException(fieldPath.toString(), "only one of "
                            + field.oneof().getFields().stream().map(FieldDescriptor::getJsonName)
                            .toList() + " may be set");
                }
                field.set(builder, value(p, builder, field, fieldPath));
                set |= field.bit();
            }
        }
    }

    private Object value(JsonParser p, Message.Builder parent, Field field, At at)
            throws IOException {
        JsonToken t = p.currentToken();
        switch (field.javaType()) {
            case MESSAGE -> {
                if (t != JsonToken.START_OBJECT) {
                    throw new InvalidInputException(at.toString(), "expected an object");
                }
                Message.Builder child = field.newBuilder(parent);
                readObject(p, child, at);
                return child.build();
            }
            case STRING -> {
                if (t != JsonToken.VALUE_STRING) {
                    throw new InvalidInputException(at.toString(), "expected a string");
                }
                return p.getText();
            }
            case BOOLEAN -> {
                if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                    throw new InvalidInputException(at.toString(), "expected true or false");
                }
                return t == JsonToken.VALUE_TRUE;
            }
            case INT -> {
                return (int) integer(p, at, field.unsigned() ? 0xFFFF_FFFFL : Integer.MAX_VALUE,
                        field.unsigned() ? 0 : Integer.MIN_VALUE);
            }
            case LONG -> {
                return field.unsigned() ? unsignedLong(p, at) : integer(p, at, Long.MAX_VALUE, Long.MIN_VALUE);
            }
            case DOUBLE -> {
                return floating(p, at);
            }
            case FLOAT -> {
                return (float) floating(p, at);
            }
            case ENUM -> {
                return enumValue(p, field.descriptor(), at);
            }
            case BYTE_STRING -> {
                if (t != JsonToken.VALUE_STRING) {
                    throw new InvalidInputException(at.toString(), "expected a string");
                }
                return bytes(p.getText(), field.hexIdLength(), at);
            }
            default -> throw new IllegalStateException("unhandled field type " + field.javaType());
        }
    }

    /** A signed integer from a JSON integer or a decimal string, exact, within [min, max]. */
    private static long integer(JsonParser p, At at, long max, long min) throws IOException {
        Long fast = asLong(p, true);
        if (fast != null) {
            if (fast > max || fast < min) {
                throw new InvalidInputException(at.toString(), "integer out of range: " + fast);
            }
            return fast;
        }
        BigInteger n = bigInteger(p, at.toString());
        if (n.compareTo(BigInteger.valueOf(max)) > 0 || n.compareTo(BigInteger.valueOf(min)) < 0) {
            throw new InvalidInputException(at.toString(), "integer out of range: " + n);
        }
        return n.longValue();
    }

    private static long unsignedLong(JsonParser p, At at) throws IOException {
        Long fast = asLong(p, false);
        if (fast != null) {
            return fast;
        }
        BigInteger n = bigInteger(p, at.toString());
        if (n.signum() < 0 || n.bitLength() > 64) {
            throw new InvalidInputException(at.toString(), "expected an unsigned 64-bit integer, got " + n);
        }
        return n.longValue();
    }

    /**
     * The common case without BigInteger: a JSON integer, or a string of plain ASCII digits (how OTLP/JSON
     * writes 64-bit timestamps), that fits a long (and is not negative unless {@code signed}); null for
     * anything else, which the exact path reads or refuses.
     */
    private static Long asLong(JsonParser p, boolean signed) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return null;
            }
            long n = p.getLongValue();
            return signed || n >= 0 ? n : null;
        }
        if (t != JsonToken.VALUE_STRING) {
            return null;
        }
        String s = p.getText();
        int start = signed && !s.isEmpty() && s.charAt(0) == '-' ? 1 : 0;
        if (s.length() - start < 1 || s.length() - start > 19) {
            return null;
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException beyondLong) {
            return null;
        }
    }

    private static BigInteger bigInteger(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getBigIntegerValue();
        }
        String text = t == JsonToken.VALUE_STRING ? p.getText().trim()
                : t == JsonToken.VALUE_NUMBER_FLOAT ? p.getText() : null;
        if (text == null) {
            throw new InvalidInputException(path, "expected an integer (number or decimal string)");
        }
        try {
            // proto3 JSON allows "1e3" and "1.0" for integers as long as the value is integral. Digits before the
            // point are counted first: "1e100000000" must not be expanded into a hundred million digits.
            BigDecimal d = new BigDecimal(text);
            if (d.precision() - d.scale() > 20) {
                throw new InvalidInputException(path, "integer out of range: " + excerpt(text));
            }
            return d.toBigIntegerExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidInputException(path, "expected an integer, got \"" + excerpt(text) + "\"");
        }
    }

    private static String excerpt(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private static double floating(JsonParser p, At at) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            // proto3 JSON: a number literal beyond the double range is an error, not infinity.
            if (Double.isInfinite(d)) {
                throw new InvalidInputException(at.toString(), "number out of range: " + excerpt(p.getText()));
            }
            return d;
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            switch (s) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        throw new InvalidInputException(at.toString(), "expected a number, got \"" + s + "\"");
                    }
            }
        }
        throw new InvalidInputException(at.toString(), "expected a number");
    }

    private static EnumValueDescriptor enumValue(JsonParser p, FieldDescriptor field, At at)
            throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            // proto3 enums are open: unknown numbers are kept.
            return field.getEnumType().findValueByNumberCreatingIfUnknown(
                    (int) integer(p, at, Integer.MAX_VALUE, Integer.MIN_VALUE));
        }
        if (t == JsonToken.VALUE_STRING) {
            EnumValueDescriptor v = field.getEnumType().findValueByName(p.getText());
            if (v != null) {
                return v;
            }
            throw new InvalidInputException(at.toString(), "unknown " + field.getEnumType().getName() + " \""
                    + p.getText() + "\"");
        }
        throw new InvalidInputException(at.toString(), "expected an enum number");
    }

    private static ByteString bytes(String text, Integer idLength, At at) {
        if (idLength == null) {
            try {
                return ByteString.copyFrom(Base64.getDecoder().decode(text));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(at.toString(), "expected base64");
            }
        }
        if (text.isEmpty()) {
            return ByteString.EMPTY;
        }
        if (text.length() != idLength * 2) {
            throw new InvalidInputException(at.toString(), "expected " + idLength * 2 + " hex digits (OTLP/JSON ids are hex, "
                    + "not base64), got " + text.length() + " characters");
        }
        try {
            return ByteString.copyFrom(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(at.toString(), "expected " + idLength * 2
                    + " hex digits (OTLP/JSON ids are hex, not base64), got \"" + text + "\"");
        }
    }

    /** JSON name and proto name of every field of {@code builder}'s message. */
    private static Map<String, Field> fieldsOf(Message.Builder builder) {
        Map<String, Field> known = FIELDS.get(builder.getClass());
        if (known != null) {
            return known;
        }
        return FIELDS.computeIfAbsent(builder.getClass(), c -> {
            Descriptor d = builder.getDescriptorForType();
            if (d.getFields().size() > 64) {
                // Field.bit marks a field in one long; no OTLP message comes near.
                throw new IllegalStateException(d.getFullName() + " has more than 64 fields");
            }
            // A HashMap rather than Map.copyOf: its lookup is a mask, not a division (a visible share in profiles).
            Map<String, Field> byName = new HashMap<>();
            for (FieldDescriptor f : d.getFields()) {
                Field field = Field.of(builder, f);
                byName.put(f.getName(), field);
                byName.put(f.getJsonName(), field);
            }
            return byName;
        });
    }

    /** Whether {@code field} of {@code builder}'s message is set through the generated setter (for tests). */
    static boolean setsDirectly(Message.Builder builder, FieldDescriptor field) {
        return fieldsOf(builder).get(field.getName()).setter() != null;
    }

    /** {@code true} for the bytes fields OTLP/JSON writes as hex (trace and span ids). */
    static boolean isHexId(FieldDescriptor field) {
        return HEX_ID_FIELDS.containsKey(field.getName());
    }
}
