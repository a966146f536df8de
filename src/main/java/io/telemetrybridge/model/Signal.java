package io.telemetrybridge.model;

import java.util.Locale;

/** The three telemetry signals; each has its own topic, batch shape and record shape. */
public enum Signal {
    METRICS("metrics", MetricData.class),
    TRACES("traces", TraceData.class),
    LOGS("logs", LogData.class);

    private final String id;
    private final Class<?> itemType;

    Signal(String id, Class<?> itemType) {
        this.id = id;
        this.itemType = itemType;
    }

    /** Lower-case name used in paths, folders, property keys and record headers. */
    public String id() { return id; }

    /** The record type of one item of this signal. */
    public Class<?> itemType() { return itemType; }

    /**
     * Parses a signal name case-insensitively.
     *
     * @throws IllegalArgumentException for a name that is not metrics, traces or logs
     */
    public static Signal of(String name) {
        for (Signal s : values()) {
            if (s.id.equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown signal '" + name + "': expected metrics, traces or logs");
    }
}
