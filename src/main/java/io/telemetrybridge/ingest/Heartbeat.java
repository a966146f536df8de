package io.telemetrybridge.ingest;

import io.telemetrybridge.model.MetricData;
import io.telemetrybridge.model.MetricType;
import io.telemetrybridge.model.MetricValue;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.Source;
import io.telemetrybridge.observe.BridgeMeters;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The bridge's own heartbeat, published by the timer route to the metrics topic in the seed's MetricData
 * shape: {@code telemetry_bridge_uptime} (Gauge, seconds since the process started) and
 * {@code telemetry_bridge_records_forwarded} (Counter, records Kafka acknowledged since start, one series per
 * signal). Every series carries the label {@code instance} (the host name).
 */
public final class Heartbeat {

    private final TelemetryRecords records;
    private final BridgeMeters meters;
    private final String instance;

    public Heartbeat(TelemetryRecords records, BridgeMeters meters) {
        this.records = records;
        this.meters = meters;
        this.instance = hostName();
    }

    /** Makes this tick's heartbeat metrics the body. */
    public void tick(Exchange exchange) {
        Instant now = Instant.now();
        List<MetricData> metrics = new ArrayList<>();
        double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        metrics.add(new MetricData("telemetry_bridge_uptime", "Time since the bridge process started", "s",
                MetricType.GAUGE, new MetricValue.Gauge(uptime), Map.of("instance", instance), now));
        for (Signal s : Signal.values()) {
            metrics.add(new MetricData("telemetry_bridge_records_forwarded",
                    "Records Kafka acknowledged since the bridge started", "records", MetricType.COUNTER,
                    new MetricValue.Counter(meters.acceptedTotal(s)),
                    Map.of("instance", instance, "signal", s.id()), now));
        }
        records.toBody(exchange, Signal.METRICS, Source.TIMER, metrics);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
