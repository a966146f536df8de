package io.telemetrybridge.codec;

/** The request's {@code Content-Type} is not one the endpoint reads (HTTP 415); a permanent error. */
public class UnsupportedMediaTypeException extends RuntimeException {

    public UnsupportedMediaTypeException(String contentType, String expected) {
        super("unsupported Content-Type " + (contentType == null ? "(none)" : "'" + contentType + "'")
                + ": expected " + expected);
    }
}
