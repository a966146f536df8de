package io.telemetrybridge.otlp;

import com.google.protobuf.Message;
import io.telemetrybridge.model.KeyedRecord;
import io.telemetrybridge.model.Signal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * How an OTLP export request becomes Kafka records, chosen per signal by name
 * ({@code bridge.otlp.<signal>.encoding}):
 * <ul>
 *   <li>{@code json}: one record per span, metric data point or log record, in the seed's record shape plus
 *       what OTLP carries (docs/kafka-records.md);</li>
 *   <li>{@code otlp_proto}: one record per resource, the export request holding that resource's data in the
 *       binary protobuf encoding, as the OpenTelemetry Collector's kafkaexporter writes it;</li>
 *   <li>{@code otlp_json}: the same in OTLP/JSON.</li>
 * </ul>
 */
public interface OtlpEncoding {

    /** The name used in configuration and in the record header {@code telemetry.schema-version}. */
    String name();

    /** Media type of the record values. */
    String contentType();

    /**
     * @param request a valid Export{Trace,Metrics,Logs}ServiceRequest of {@code signal}
     */
    List<KeyedRecord> encode(Signal signal, Message request) throws IOException;

    /**
     * Records that each fit, and what cannot: {@code tooLarge} holds the records that do not fit although they
     * cannot be cut further (refused; everything else is published).
     */
    record Fitted(List<KeyedRecord> records, List<TooLarge> tooLarge) {}

    /**
     * A record too large for Kafka that cannot be cut: one span, log record or data point, or, when a resource's
     * own attributes alone exceed the limit, that resource with all its items.
     *
     * @param record the record as it would be (its size is reported)
     * @param items  spans, log records or data points it holds (the partial_success count)
     */
    record TooLarge(KeyedRecord record, long items) {}

    /**
     * Encodes {@code request} into records that each pass {@code fits} (the size limit of the signal's topic).
     * One item per record ({@code json}): an item that does not fit is set aside. Otherwise a record that does
     * not fit is cut into smaller ones of the same key, down to single items.
     */
    default Fitted encode(Signal signal, Message request, Predicate<KeyedRecord> fits)
            throws IOException {
        List<KeyedRecord> records = new ArrayList<>();
        List<TooLarge> tooLarge = new ArrayList<>();
        for (KeyedRecord r : encode(signal, request)) {
            if (fits.test(r)) {
                records.add(r);
            } else {
                tooLarge.add(new TooLarge(r, 1));
            }
        }
        return new Fitted(records, tooLarge);
    }

    /**
     * The encoding called {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    static OtlpEncoding named(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "json" -> new JsonRecordsEncoding();
            case "otlp_proto" -> new OtlpProtoEncoding(false);
            case "otlp_json" -> new OtlpProtoEncoding(true);
            default -> throw new IllegalArgumentException("unknown encoding '" + name
                    + "': expected json, otlp_proto or otlp_json");
        };
    }
}
