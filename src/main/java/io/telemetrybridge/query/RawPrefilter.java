package io.telemetrybridge.query;

import io.telemetrybridge.kafka.RecordHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Skips records that cannot match before they are decoded. A filter that needs a field's text to equal, contain,
 * start or end with a string can only match a record whose value bytes contain that string: the bridge writes
 * strings of its JSON records with Jackson, which escapes only quotes, backslashes and control characters. Used
 * only where that holds: JSON records the bridge wrote (schema {@code 1}; in {@code otlp_proto} and
 * {@code otlp_json} records many fields, such as hex ids and level names, exist only once decoded) and strings of
 * letters, digits and {@code ._:/-} and spaces that are not number-like (a number field may be written in another
 * form than its text, {@code 1.0E10}). Everything else is decoded and filtered as usual.
 */
final class RawPrefilter {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:/ -]+");
    private static final Pattern NUMBER_LIKE = Pattern.compile("[0-9.eE+ -]+");
    private static final byte[] SEED = RecordHeaders.SEED_SCHEMA_VERSION.getBytes(StandardCharsets.UTF_8);

    /** Per filter, the strings one of which must appear. */
    private final List<byte[][]> required;

    private RawPrefilter(List<byte[][]> required) {
        this.required = required;
    }

    /** The prefilter of {@code filters} (ANDed); it passes every record when no filter qualifies. */
    static RawPrefilter of(List<FieldFilter> filters) {
        List<byte[][]> required = new ArrayList<>();
        for (FieldFilter f : filters) {
            List<FilterValue> values = switch (f.operator()) {
                case EQUALS, CONTAINS, STARTS_WITH, ENDS_WITH -> List.of(f.value());
                case IN -> f.value() instanceof FilterValue.ArrayValue a ? a.elements() : List.of();
                default -> List.of();
            };
            List<byte[]> any = new ArrayList<>();
            for (FilterValue v : values) {
                if (!(v instanceof FilterValue.StringValue s) || !SAFE.matcher(s.value()).matches()
                        || NUMBER_LIKE.matcher(s.value()).matches()) {
                    any = null;
                    break;
                }
                any.add(s.value().getBytes(StandardCharsets.UTF_8));
            }
            if (any != null && !any.isEmpty()) {
                required.add(any.toArray(new byte[0][]));
            }
        }
        return new RawPrefilter(required);
    }

    /** {@code false} only when {@code record} certainly matches no filter set. */
    boolean mayMatch(ConsumerRecord<byte[], byte[]> record) {
        if (required.isEmpty() || record.value() == null || !writtenByBridge(record)) {
            return true;
        }
        for (byte[][] any : required) {
            boolean found = false;
            for (byte[] needle : any) {
                if (indexOf(record.value(), needle) >= 0) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static boolean writtenByBridge(ConsumerRecord<byte[], byte[]> record) {
        Header h = record.headers().lastHeader(RecordHeaders.SCHEMA_VERSION);
        return h != null && Arrays.equals(h.value(), SEED);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        if (needle.length == 0) {
            return 0;
        }
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
