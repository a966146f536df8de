package io.telemetrybridge.codec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.TelemetryBatch;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Parses and validates the seed's JSON: whole batches ({@code MetricsBatch}, {@code TracesBatch},
 * {@code LogsBatch}) and single items (one line of a {@code .jsonl} drop). Every problem becomes an
 * {@link InvalidInputException} naming the field path in wire names ({@code metrics[2].value}); nothing is
 * returned unless the whole input is valid. Source: docs/seed-api.md, "Batches" and "Validation".
 */
public final class SeedReader {

    private static final Map<Signal, Class<? extends TelemetryBatch<?>>> BATCH_TYPES = Map.of(
            Signal.METRICS, TelemetryBatch.Metrics.class,
            Signal.TRACES, TelemetryBatch.Traces.class,
            Signal.LOGS, TelemetryBatch.Logs.class);

    private static final JsonParser.Feature STRICT_DUPLICATES =
            StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature();

    private final Map<Signal, ObjectReader> batchReaders = new EnumMap<>(Signal.class);
    private final Map<Signal, ObjectReader> itemReaders = new EnumMap<>(Signal.class);

    public SeedReader(ObjectMapper mapper) {
        for (Signal signal : Signal.values()) {
            // A key given twice is refused: Jackson would otherwise keep the last value without a word.
            batchReaders.put(signal, mapper.readerFor(BATCH_TYPES.get(signal)).with(STRICT_DUPLICATES));
            itemReaders.put(signal, mapper.readerFor(signal.itemType()).with(STRICT_DUPLICATES));
        }
    }

    /**
     * Reads one batch of {@code signal} and validates every item.
     *
     * @param json UTF-8 JSON of a whole batch
     * @return the batch's items, in order
     * @throws InvalidInputException if the document is not valid JSON or any field is missing or wrong
     */
    public List<?> readBatch(Signal signal, byte[] json) {
        TelemetryBatch<?> batch = bind(batchReaders.get(signal), json);
        SeedValidator.validate(signal, batch);
        return batch.items();
    }

    /**
     * Reads and validates one item of {@code signal} (one line of a {@code .jsonl} file).
     *
     * @throws InvalidInputException naming the field, relative to the item
     */
    public Object readItem(Signal signal, String json) {
        Object item = bind(itemReaders.get(signal), json);
        SeedValidator.validateItem(signal, item, "");
        return item;
    }

    /** As {@link #readItem(Signal, String)}, from UTF-8 bytes. */
    public Object readItem(Signal signal, byte[] json) {
        Object item = bind(itemReaders.get(signal), json);
        SeedValidator.validateItem(signal, item, "");
        return item;
    }

    private static <T> T bind(ObjectReader reader, Object json) {
        try {
            T value = json instanceof byte[] bytes ? reader.readValue(bytes) : reader.readValue((String) json);
            if (value == null) {
                throw new InvalidInputException("", "expected a JSON object, got null");
            }
            return value;
        } catch (DatabindException e) {
            throw translate((JsonMappingException) e);
        } catch (JacksonException e) {
            throw new InvalidInputException("", JsonSyntax.malformed(e));
        } catch (IOException e) {
            throw new InvalidInputException("", "unreadable body: " + e.getMessage());
        }
    }


    /** Turns Jackson's binding error into our path + reason, without Java class names. */
    static InvalidInputException translate(JsonMappingException e) {
        String path = path(e.getPath());
        String reason;
        if (e.getCause() instanceof StreamReadException parse) {
            reason = JsonSyntax.malformed(parse);
        } else if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            reason = "expected one of " + enumNames(f.getTargetType()) + ", got " + quoted(f.getValue());
        } else if (e instanceof InvalidFormatException f) {
            reason = "expected " + describe(f.getTargetType()) + ", got " + quoted(f.getValue());
        } else if (e instanceof MismatchedInputException m && m.getOriginalMessage().startsWith("expected")) {
            reason = m.getOriginalMessage();
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            reason = "expected " + describe(m.getTargetType());
        } else {
            reason = e.getOriginalMessage();
        }
        return new InvalidInputException(path, reason);
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String quoted(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static String enumNames(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(c -> {
            try {
                var annotation = enumType.getField(((Enum<?>) c).name())
                        .getAnnotation(JsonProperty.class);
                return annotation != null ? annotation.value() : ((Enum<?>) c).name();
            } catch (NoSuchFieldException ex) {
                return ((Enum<?>) c).name();
            }
        }).collect(Collectors.joining(", "));
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type.isEnum()) {
            return "one of " + enumNames(type);
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == Instant.class) {
            return "an RFC 3339 timestamp such as 2025-01-01T12:00:00.123456789Z";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
