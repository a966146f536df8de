package io.telemetrybridge.model;

/**
 * One record to publish: its key (UTF-8 text, or null for none) and its value bytes.
 *
 * @param key   record key; records with equal keys go to one partition and keep their order
 * @param value record value, already encoded (JSON or OTLP protobuf)
 */
public record KeyedRecord(String key, byte[] value) {}
