package io.telemetrybridge.codec;

import io.telemetrybridge.error.UnsupportedMediaTypeException;
import io.telemetrybridge.error.RequestTooLargeException;
import io.telemetrybridge.error.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The HTTP content codings the bridge reads on every HTTP endpoint that takes telemetry ({@code Content-Encoding}:
 * {@code gzip}, {@code x-gzip}, {@code identity} or none), with the decompressed size bounded while inflating
 * ({@code bridge.http.max-decompressed-bytes}), so a small body that inflates to gigabytes is stopped early.
 */
public final class ContentCoding {

    private ContentCoding() {}

    /**
     * The body as a stream of its decoded bytes, at most {@code limit} of them.
     *
     * @throws UnsupportedMediaTypeException for another coding (415); reading past the limit throws
     *                                       {@link RequestTooLargeException} (413)
     */
    public static BoundedInputStream open(String contentEncoding, byte[] body, long limit) throws IOException {
        return open(contentEncoding, body, limit, null, 0);
    }

    /**
     * As {@link #open(String, byte[], long)}, asking {@code room} before the decoded bytes pass {@code granted}
     * (what is already held for the body): a small body that inflates is held as what it inflates to.
     */
    public static BoundedInputStream open(String contentEncoding, byte[] body, long limit,
            BoundedInputStream.Room room, long granted) throws IOException {
        String coding = contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        InputStream raw = new ByteArrayInputStream(body);
        InputStream decoded = switch (coding) {
            case "", "identity" -> raw;
            case "gzip", "x-gzip" -> new GZIPInputStream(raw, 8192);
            default -> throw UnsupportedMediaTypeException.contentEncoding(contentEncoding, "gzip or identity");
        };
        return new BoundedInputStream(decoded, limit, room, granted);
    }

    /**
     * The decoded body, whole.
     *
     * @throws InvalidInputException when the body is not valid in its coding (400)
     */
    public static byte[] decode(String contentEncoding, byte[] body, long limit) {
        return decode(contentEncoding, body, limit, null, 0);
    }

    /**
     * As {@link #decode(String, byte[], long)}, asking {@code room} before the decoded bytes pass {@code granted}.
     */
    public static byte[] decode(String contentEncoding, byte[] body, long limit, BoundedInputStream.Room room,
            long granted) {
        try (InputStream in = open(contentEncoding, body, limit, room, granted)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new InvalidInputException("", "the body is not valid " + contentEncoding + ": " + e.getMessage());
        }
    }
}
