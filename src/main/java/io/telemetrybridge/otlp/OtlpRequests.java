package io.telemetrybridge.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.telemetrybridge.codec.BoundedInputStream;
import io.telemetrybridge.codec.ContentCoding;
import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.error.RequestTooLargeException;
import io.telemetrybridge.codec.MediaTypes;
import io.telemetrybridge.error.UnsupportedMediaTypeException;
import io.telemetrybridge.model.Signal;
import java.io.IOException;

/**
 * Decodes an OTLP/HTTP request body into its Export*ServiceRequest, as the OTLP specification's "OTLP/HTTP"
 * section asks: {@code application/x-protobuf} or {@code application/json} (matched in any case, with
 * parameters), {@code Content-Encoding} {@code gzip} or {@code identity}. The decompressed size is bounded
 * while inflating.
 */
public final class OtlpRequests {

    public static final String PROTOBUF = "application/x-protobuf";

    private final OtlpJsonReader jsonReader;
    private final long maxDecompressedBytes;

    public OtlpRequests(int maxJsonDepth, long maxDecompressedBytes) {
        this.jsonReader = new OtlpJsonReader(maxJsonDepth);
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /** {@code true} for an OTLP/JSON request, {@code false} for binary protobuf. */
    public static boolean isJson(String contentType) {
        if (MediaTypes.matches(contentType, MediaTypes.JSON)) {
            return true;
        }
        if (MediaTypes.matches(contentType, PROTOBUF)) {
            return false;
        }
        throw new UnsupportedMediaTypeException(contentType, PROTOBUF + " or " + MediaTypes.JSON);
    }

    /**
     * @throws UnsupportedMediaTypeException for an unknown media type or content coding (415)
     * @throws RequestTooLargeException      when the decompressed body exceeds the limit (413)
     * @throws InvalidInputException         when the body does not decode as declared (400)
     */
    public Message decode(Signal signal, String contentType, String contentEncoding, byte[] body) {
        return decode(signal, contentType, contentEncoding, body, null, 0);
    }

    /**
     * As {@link #decode(Signal, String, String, byte[])}, asking {@code room} before the decompressed bytes pass
     * {@code granted} (the in-flight bytes bound: a compressed body is held as what it inflates to).
     */
    public Message decode(Signal signal, String contentType, String contentEncoding, byte[] body,
            BoundedInputStream.Room room, long granted) {
        boolean json = isJson(contentType);
        try (BoundedInputStream in = ContentCoding.open(contentEncoding, body, maxDecompressedBytes, room, granted)) {
            Message request;
            if (json) {
                request = jsonReader.read(in, builder(signal)).build();
            } else {
                CodedInputStream coded = CodedInputStream.newInstance(in);
                // The bounded stream enforces the size (413); protobuf's own limit would make it a 400.
                coded.setSizeLimit(Integer.MAX_VALUE);
                request = builder(signal).mergeFrom(coded).build();
            }
            return request;
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidInputException("", "not a valid protobuf " + requestName(signal) + ": " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidInputException("", "the body is not valid " + contentEncoding + ": " + e.getMessage());
        }
    }

    private static Message.Builder builder(Signal signal) {
        return switch (signal) {
            case TRACES -> ExportTraceServiceRequest.newBuilder();
            case METRICS -> ExportMetricsServiceRequest.newBuilder();
            case LOGS -> ExportLogsServiceRequest.newBuilder();
        };
    }

    static String requestName(Signal signal) {
        return switch (signal) {
            case TRACES -> "ExportTraceServiceRequest";
            case METRICS -> "ExportMetricsServiceRequest";
            case LOGS -> "ExportLogsServiceRequest";
        };
    }
}
