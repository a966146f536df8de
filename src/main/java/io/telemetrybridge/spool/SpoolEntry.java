package io.telemetrybridge.spool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Kafka record as the spool keeps it (docs/delivery.md, "Spool format"): the topic, key and value bytes,
 * headers, and when it was appended. Encoded as the payload of one spool entry, big-endian:
 * {@code appendedAt:i64, topicLen:u16, topic, keyLen:i32 (-1: none), key, valueLen:i32, value,
 * headerCount:u16, then per header nameLen:u16, name (UTF-8), valueLen:i32, value}.
 *
 * @param appendedAt milliseconds since the Unix epoch when the bridge took the request holding it; the record's
 *                   Kafka timestamp (CreateTime)
 * @param headers    Kafka record headers in order (names may repeat)
 */
public record SpoolEntry(long appendedAt, String topic, byte[] key, byte[] value,
        List<Map.Entry<String, byte[]>> headers) {

    /** The payload bytes of this entry. */
    byte[] encode() {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        int size = 8 + 2 + t.length + 4 + (key == null ? 0 : key.length) + 4 + value.length + 2;
        List<byte[]> names = new ArrayList<>(headers.size());
        for (Map.Entry<String, byte[]> h : headers) {
            byte[] n = h.getKey().getBytes(StandardCharsets.UTF_8);
            names.add(n);
            size += 2 + n.length + 4 + h.getValue().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putLong(appendedAt);
        b.putShort((short) t.length).put(t);
        if (key == null) {
            b.putInt(-1);
        } else {
            b.putInt(key.length).put(key);
        }
        b.putInt(value.length).put(value);
        b.putShort((short) headers.size());
        for (int i = 0; i < headers.size(); i++) {
            b.putShort((short) names.get(i).length).put(names.get(i));
            byte[] v = headers.get(i).getValue();
            b.putInt(v.length).put(v);
        }
        return b.array();
    }

    /**
     * An entry from its payload.
     *
     * @throws IllegalArgumentException when the payload is not one entry (its checksum matched, so this is a bug
     *                                  or a file of another format)
     */
    static SpoolEntry decode(byte[] payload) {
        try {
            ByteBuffer b = ByteBuffer.wrap(payload);
            long at = b.getLong();
            byte[] t = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(t);
            int keyLen = b.getInt();
            byte[] key = null;
            if (keyLen >= 0) {
                key = new byte[keyLen];
                b.get(key);
            }
            byte[] value = new byte[b.getInt()];
            b.get(value);
            int count = Short.toUnsignedInt(b.getShort());
            List<Map.Entry<String, byte[]>> headers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] n = new byte[Short.toUnsignedInt(b.getShort())];
                b.get(n);
                byte[] v = new byte[b.getInt()];
                b.get(v);
                headers.add(Map.entry(new String(n, StandardCharsets.UTF_8), v));
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " bytes after the entry");
            }
            return new SpoolEntry(at, new String(t, StandardCharsets.UTF_8), key, value, headers);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a spool entry: " + e.getMessage(), e);
        }
    }
}
