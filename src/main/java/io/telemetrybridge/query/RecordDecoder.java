package io.telemetrybridge.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telemetrybridge.model.KeyedRecord;
import io.telemetrybridge.kafka.RecordHeaders;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.otlp.OtlpEncoding;
import io.telemetrybridge.otlp.OtlpRequests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns a record of a telemetry topic back into seed-shaped JSON records, whatever encoding wrote it (header
 * {@code telemetry.schema-version}): {@code 1} is one JSON record already; {@code otlp_proto} and
 * {@code otlp_json} hold an export request, which becomes one record per span, data point or log record exactly
 * as the {@code json} encoding would have written them. Records without the header are read as JSON, so topics
 * filled by other writers of the seed's shape can be queried too.
 */
public final class RecordDecoder {

    private final ObjectMapper mapper;
    private final OtlpRequests otlp;
    private final OtlpEncoding json = OtlpEncoding.named("json");

    public RecordDecoder(ObjectMapper mapper, OtlpRequests otlp) {
        this.mapper = mapper;
        this.otlp = otlp;
    }

    /**
     * @return the JSON records the Kafka record holds (one, or one per item of an OTLP request)
     * @throws PoisonRecordException when the value does not decode as its header says
     */
    List<JsonNode> decode(Signal signal, ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value();
        if (value == null) {
            throw new PoisonRecordException("the record has no value (a tombstone)");
        }
        String schema = header(record, RecordHeaders.SCHEMA_VERSION);
        try {
            if ("otlp_proto".equals(schema) || "otlp_json".equals(schema)) {
                String type = "otlp_proto".equals(schema) ? OtlpRequests.PROTOBUF : "application/json";
                List<JsonNode> out = new ArrayList<>();
                for (KeyedRecord item : json.encode(signal, otlp.decode(signal, type, null, value))) {
                    out.add(mapper.readTree(item.value()));
                }
                return out;
            }
            JsonNode node = mapper.readTree(value);
            if (node == null || !node.isObject()) {
                throw new PoisonRecordException("the value is not a JSON object");
            }
            return List.of(node);
        } catch (IOException | RuntimeException e) {
            if (e instanceof PoisonRecordException p) {
                throw p;
            }
            throw new PoisonRecordException("the value does not decode as "
                    + (schema == null ? "JSON" : "schema " + schema) + ": " + firstLine(e.getMessage()));
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** A record of a telemetry topic that cannot be decoded; it is skipped and dead-lettered, never retried. */
    static final class PoisonRecordException extends RuntimeException {
        PoisonRecordException(String message) {
            super(message);
        }
    }
}
