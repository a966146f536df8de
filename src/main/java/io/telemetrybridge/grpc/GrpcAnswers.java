package io.telemetrybridge.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.apache.camel.Exchange;

/**
 * Turns the answer the OTLP pipeline gave (an HTTP status, and the Export*ServiceResponse or a
 * {@code google.rpc.Status} body, as the {@code otlp-errors} route configuration writes them for every front
 * door) into the gRPC answer, with the codes of the OTLP specification ("OTLP/gRPC", "Failures"):
 * <ul>
 *   <li>200: {@code OK} with the response message (which carries any {@code partial_success});</li>
 *   <li>400, 413, 415: {@code INVALID_ARGUMENT}, not retryable (the request can never be taken as it is; a
 *       message over the receive limit is refused earlier by grpc-java with {@code RESOURCE_EXHAUSTED});</li>
 *   <li>401: {@code UNAUTHENTICATED};</li>
 *   <li>429: {@code RESOURCE_EXHAUSTED} with {@code google.rpc.RetryInfo} (retryable only with it);</li>
 *   <li>503: {@code UNAVAILABLE} with {@code RetryInfo}: Kafka did not take the records in time;</li>
 *   <li>anything else: {@code INTERNAL} (our own bug; the log has it).</li>
 * </ul>
 * The retry delay is the {@code Retry-After} the pipeline set. The status message is the pipeline's.
 */
final class GrpcAnswers {

    private GrpcAnswers() {}

    /** The gRPC error for a non-200 answer of the pipeline. */
    static StatusRuntimeException error(Exchange exchange) {
        int http = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 500, Integer.class);
        String message = message(exchange.getMessage().getBody(byte[].class));
        Integer retryAfter = exchange.getMessage().getHeader("Retry-After", Integer.class);
        Code code = switch (http) {
            case 400, 413, 415 -> Code.INVALID_ARGUMENT;
            case 401 -> Code.UNAUTHENTICATED;
            case 429 -> Code.RESOURCE_EXHAUSTED;
            case 503 -> Code.UNAVAILABLE;
            default -> Code.INTERNAL;
        };
        return error(code, message, code == Code.UNAVAILABLE || code == Code.RESOURCE_EXHAUSTED ? retryAfter : null);
    }

    /**
     * A gRPC error; with {@code retryAfterSeconds} it carries {@code google.rpc.RetryInfo} in the
     * {@code grpc-status-details-bin} trailer, which OTLP clients read as "retry after this delay".
     */
    static StatusRuntimeException error(Code code, String message, Integer retryAfterSeconds) {
        Status.Builder status = Status.newBuilder().setCode(code.getNumber()).setMessage(message);
        if (retryAfterSeconds != null) {
            status.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(Duration.newBuilder().setSeconds(retryAfterSeconds)).build()));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /** The message of the pipeline's {@code google.rpc.Status} body (protobuf, since gRPC requests are). */
    private static String message(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            return Status.parseFrom(body).getMessage();
        } catch (InvalidProtocolBufferException e) {
            return "the bridge gave an answer it could not put into gRPC; its log has the details";
        }
    }
}
