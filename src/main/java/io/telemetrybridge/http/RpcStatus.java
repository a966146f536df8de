package io.telemetrybridge.http;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.telemetrybridge.otlp.OtlpJsonWriter;
import io.telemetrybridge.otlp.OtlpRequests;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one writer of the {@code google.rpc.Status} error body that the OTLP/HTTP specification ("Failures")
 * requires on the OTLP paths: protobuf when the request was protobuf, OTLP/JSON otherwise (also when its media
 * type was neither).
 */
public final class RpcStatus {

    private RpcStatus() {}

    /** The body: a {@code Status} with {@code code} and {@code message}, in protobuf or OTLP/JSON. */
    public static byte[] body(Code code, String message, boolean protobuf) {
        Status status = Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
        if (protobuf) {
            return status.toByteArray();
        }
        try {
            return OtlpJsonWriter.write(status);
        } catch (IOException e) {
            // Written to memory: cannot fail.
            throw new UncheckedIOException(e);
        }
    }

    /** The media type of {@link #body}. */
    public static String contentType(boolean protobuf) {
        return protobuf ? OtlpRequests.PROTOBUF : "application/json";
    }
}
