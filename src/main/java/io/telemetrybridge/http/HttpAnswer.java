package io.telemetrybridge.http;

import io.vertx.core.buffer.Buffer;
import org.apache.camel.Exchange;

/**
 * Makes the exchange's message the HTTP answer. Every request header is removed first, so nothing a client sent
 * (nor a Camel-internal header) is echoed back. The body is a Vert.x {@link Buffer}: camel-platform-http-vertx
 * ends the response with it at once, where a {@code byte[]} was turned into a stream and pumped through the
 * event loop (a tenth of the event loop's time under load). Readers of the body as {@code byte[]} (the gRPC
 * door) get it through Camel's Vert.x buffer converter.
 */
public final class HttpAnswer {

    private HttpAnswer() {}

    /** Answers {@code status} with {@code body} of media type {@code contentType}. */
    public static void write(Exchange exchange, int status, String contentType, byte[] body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        exchange.getMessage().setBody(Buffer.buffer(body));
    }
}
