package io.telemetrybridge.http;

import org.apache.camel.Exchange;

/**
 * Makes the exchange's message the HTTP answer. Every request header is removed first, so nothing a client sent
 * (nor a Camel-internal header) is echoed back.
 */
public final class HttpAnswer {

    private HttpAnswer() {}

    /** Answers {@code status} with {@code body} of media type {@code contentType}. */
    public static void write(Exchange exchange, int status, String contentType, byte[] body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        exchange.getMessage().setBody(body);
    }
}
