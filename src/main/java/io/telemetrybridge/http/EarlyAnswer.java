package io.telemetrybridge.http;

import com.google.rpc.Code;
import io.telemetrybridge.codec.MediaTypes;
import io.telemetrybridge.otlp.OtlpRequests;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Ends a request on the Vert.x router before any route ran (a guard refused it, or no route takes it) with the
 * same bodies the routes answer with: a {@link RpcStatus} on the OTLP paths ({@code /v1/*}; protobuf when the
 * request was protobuf), the {@link ErrorBody} elsewhere. The request body is not read, so an HTTP/1.x
 * connection is closed after the answer.
 */
final class EarlyAnswer {

    private EarlyAnswer() {}

    /** Answers {@code status}; {@code rpcCode} is the {@code google.rpc.Code} given on the OTLP paths. */
    static void end(RoutingContext ctx, int status, String message, Code rpcCode) {
        if (ctx.response().ended()) {
            return;
        }
        boolean otlp = ctx.request().path().startsWith("/v1/");
        boolean protobuf = otlp && MediaTypes.matches(ctx.request().getHeader("Content-Type"), OtlpRequests.PROTOBUF);
        byte[] body = otlp ? RpcStatus.body(rpcCode, message, protobuf) : ErrorBody.of(status, message).json();
        ctx.response().setStatusCode(status).putHeader("Content-Type", RpcStatus.contentType(protobuf));
        // HTTP/2 forbids connection headers (RFC 9113, 8.2.2): there the stream ends alone.
        if (ctx.request().version() != HttpVersion.HTTP_2) {
            ctx.response().putHeader("Connection", "close");
        }
        ctx.response().end(Buffer.buffer(body));
    }
}
