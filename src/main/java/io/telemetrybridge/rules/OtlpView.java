package io.telemetrybridge.rules;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.telemetrybridge.model.Signal;
import java.util.List;

/** A {@link RecordView} over one OTLP item, moved from item to item by {@link OtlpItems} (not thread-safe). */
final class OtlpView implements RecordView {

    final Signal signal;
    final String tenant;
    List<KeyValue> resource = List.of();
    String scope;
    List<KeyValue> attributes = List.of();
    String name;
    int severity;

    OtlpView(Signal signal, String tenant) {
        this.signal = signal;
        this.tenant = tenant;
    }

    @Override
    public Signal signal() {
        return signal;
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    public String resource(String key) {
        return find(resource, key);
    }

    @Override
    public String scope() {
        return scope == null || scope.isEmpty() ? null : scope;
    }

    @Override
    public String attribute(String key) {
        return find(attributes, key);
    }

    @Override
    public String name() {
        return name == null || name.isEmpty() ? null : name;
    }

    @Override
    public int severity() {
        return severity;
    }

    static String find(List<KeyValue> list, String key) {
        for (KeyValue kv : list) {
            if (kv.getKey().equals(key)) {
                return text(kv.getValue());
            }
        }
        return null;
    }

    /** A scalar AnyValue as text (as the JSON records write it); null for arrays, maps, bytes and empty values. */
    static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> null;
        };
    }
}
