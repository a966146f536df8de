package io.telemetrybridge.error;

/** The request's {@code Content-Type} is not one the endpoint reads (HTTP 415); a permanent error. */
public class UnsupportedMediaTypeException extends RuntimeException {

    public UnsupportedMediaTypeException(String contentType, String expected) {
        this("unsupported Content-Type " + (contentType == null ? "(none)" : "'" + contentType + "'")
                + ": expected " + expected);
    }

    private UnsupportedMediaTypeException(String message) {
        super(message);
    }

    /** The request's {@code Content-Encoding} is not one the endpoint decodes. */
    public static UnsupportedMediaTypeException contentEncoding(String coding, String expected) {
        return new UnsupportedMediaTypeException("unsupported Content-Encoding '" + coding + "': expected "
                + expected);
    }
}
