package io.telemetrybridge.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a writer posts: an identified, timestamped list of items of one signal plus free-form metadata.
 * Source: docs/seed-api.md, "Batches".
 *
 * @param <T> the item record type ({@link MetricData}, {@link TraceData} or {@link LogData})
 */
public interface TelemetryBatch<T> {
    UUID id();

    Instant timestamp();

    /** The items, in the order they were sent; null when the batch lacks its item list (invalid). */
    List<T> items();

    Map<String, String> metadata();

    /** {@code MetricsBatch { id, timestamp, metrics, metadata }}. */
    record Metrics(UUID id, Instant timestamp, List<MetricData> metrics, Map<String, String> metadata)
            implements TelemetryBatch<MetricData> {
        public Metrics {
            metadata = metadata == null ? Map.of() : metadata;
        }

        public List<MetricData> items() { return metrics; }
    }

    /** {@code TracesBatch { id, timestamp, traces, metadata }}. */
    record Traces(UUID id, Instant timestamp, List<TraceData> traces, Map<String, String> metadata)
            implements TelemetryBatch<TraceData> {
        public Traces {
            metadata = metadata == null ? Map.of() : metadata;
        }

        public List<TraceData> items() { return traces; }
    }

    /** {@code LogsBatch { id, timestamp, logs, metadata }}. */
    record Logs(UUID id, Instant timestamp, List<LogData> logs, Map<String, String> metadata)
            implements TelemetryBatch<LogData> {
        public Logs {
            metadata = metadata == null ? Map.of() : metadata;
        }

        public List<LogData> items() { return logs; }
    }
}
