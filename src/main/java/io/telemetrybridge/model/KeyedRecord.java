package io.telemetrybridge.model;

/**
 * One record to publish: its key (UTF-8 text, or null for none), its value bytes and, when a routing rule chose
 * one, its topic.
 *
 * @param key   record key; records with equal keys go to one partition and keep their order
 * @param value record value, already encoded (JSON or OTLP protobuf)
 * @param topic the topic a routing rule chose, or null for the route's endpoint topic
 */
public record KeyedRecord(String key, byte[] value, String topic) {

    /** A record for the route's endpoint topic. */
    public KeyedRecord(String key, byte[] value) {
        this(key, value, null);
    }
}
