package io.telemetrybridge.error;

import io.telemetrybridge.error.InvalidInputException;

/** A request body, after decompression, is larger than the configured limit (HTTP 413). */
public class RequestTooLargeException extends InvalidInputException {

    public RequestTooLargeException(long limitBytes) {
        super("", "the request body is larger than " + limitBytes
                + " bytes once decompressed (bridge.http.max-decompressed-bytes)");
    }
}
