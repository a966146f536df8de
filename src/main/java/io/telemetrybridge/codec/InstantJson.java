package io.telemetrybridge.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * RFC 3339 instants of the seed's wire format, read and written without {@code DateTimeFormatter} for the usual
 * shape ({@code 2025-01-01T12:00:00.123456789Z}, or with a {@code ±hh:mm} offset, converted to UTC): the
 * formatter took about half the time of reading a seed item. Anything else goes to jackson-datatype-jsr310's own
 * reader, so what is accepted, and every error message, stay the same. Written as {@code DateTimeFormatter
 * .ISO_INSTANT} writes it: UTC, a fraction of 3, 6 or 9 digits only when there is one.
 */
public final class InstantJson {

    private InstantJson() {}

    static final class Reader extends StdScalarDeserializer<Instant> {

        Reader() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                Instant fast = parse(p.getText());
                if (fast != null) {
                    return fast;
                }
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }
    }

    static final class Writer extends StdScalarSerializer<Instant> {

        Writer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeString(format(value));
        }
    }

    /** The instant of {@code s} when it has the usual shape and valid fields, else null (for the full reader). */
    static Instant parse(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return null;
            }
            nanos = digits(s, start, count);
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                return null;
            }
            offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        try {
            long days = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** {@code value} as ISO_INSTANT writes it. */
    static String format(Instant value) {
        long seconds = value.getEpochSecond();
        int year = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400)).getYear();
        if (year < 0 || year > 9999) {
            return value.toString();
        }
        int nanos = value.getNano();
        int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
        byte[] c = new byte[20 + (fraction == 0 ? 0 : fraction + 1)];
        dateTime(c, seconds);
        if (fraction > 0) {
            c[19] = '.';
            digits(c, 20, fraction == 3 ? nanos / 1_000_000 : fraction == 6 ? nanos / 1000 : nanos, fraction);
        }
        c[c.length - 1] = 'Z';
        return new String(c, StandardCharsets.US_ASCII);
    }

    /**
     * Writes {@code yyyy-MM-ddTHH:mm:ss} (UTC, ISO 8601 / RFC 3339) for {@code epochSecond} as ASCII into
     * {@code text[0..18]}, for years 0 to 9999 (the caller checks). Shared by the writers of timestamps into JSON
     * records: java.time's formatters were a visible share of the CPU per record in profiles.
     */
    public static void dateTime(byte[] text, long epochSecond) {
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, 86_400));
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        digits(text, 0, date.getYear(), 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
    }

    /** {@code value} (0 or more) as {@code width} ASCII decimal digits, zero-padded, at {@code text[at]}. */
    public static void digits(byte[] text, int at, int value, int width) {
        for (int k = at + width - 1; k >= at; k--) {
            text[k] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /** The {@code count} decimal digits at {@code from} as a number, or -1 if one is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
