package io.telemetrybridge.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The Grafana dashboard and Prometheus configuration of docker-compose.yml: the dashboard parses, and every
 * metric it queries is one a running bridge exports; Prometheus scrapes the path the bridge serves.
 */
@ExtendWith(KafkaBroker.class)
class DashboardTest {

    static final Pattern METRIC = Pattern.compile("\\b(?:telemetry_bridge|camel|kafka|jvm|process|system)_[a-z0-9_]+");

    @Test
    void everyMetricTheDashboardQueriesIsExportedByTheBridge() throws IOException {
        JsonNode dashboard = Json.tree(Files.readString(Path.of("monitoring/grafana/dashboards/telemetry-bridge.json")));
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("datasource").get("uid").asText()).isEqualTo("prometheus");
            for (JsonNode target : panel.get("targets")) {
                Matcher m = METRIC.matcher(target.get("expr").asText());
                while (m.find()) {
                    queried.add(m.group());
                }
            }
        }
        assertThat(queried).contains("telemetry_bridge_records_accepted_total",
                "telemetry_bridge_publish_latency_seconds_bucket", "telemetry_bridge_file_backlog_files",
                "kafka_producer_record_error_total", "camel_exchanges_failed_total");

        try (RunningBridge bridge = RunningBridge.start()) {
            // Traffic, so that meters registered on first use exist: a write, a refused write, a query.
            assertThat(bridge.post("/api/v1/metrics", "application/json",
                    Json.resource("golden/seed/metrics-batch.json")).statusCode()).isEqualTo(200);
            assertThat(bridge.post("/api/v1/logs", "application/json",
                    "{\"logs\": 1}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
            assertThat(bridge.get("/api/v1/query/logs").statusCode()).isEqualTo(200);
            String exported = bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/metrics")).GET()
                    .build()).body();
            for (String name : queried) {
                assertThat(exported).as(name).containsPattern("(?m)^" + name + "[{ ]");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesTheManagementPathAndGrafanaKnowsTheDataSource() throws IOException {
        Load yaml = new Load(LoadSettings.builder().build());
        Map<String, Object> prometheus = (Map<String, Object>) yaml.loadFromString(
                Files.readString(Path.of("monitoring/prometheus.yml")));
        Map<String, Object> job = ((java.util.List<Map<String, Object>>) prometheus.get("scrape_configs")).get(0);
        assertThat(job.get("metrics_path")).isEqualTo("/observe/metrics");
        assertThat(job.toString()).contains("bridge:9876");

        Map<String, Object> datasources = (Map<String, Object>) yaml.loadFromString(
                Files.readString(Path.of("monitoring/grafana/provisioning/datasources/prometheus.yml")));
        assertThat(datasources.toString()).contains("uid=prometheus").contains("http://prometheus:9090");
    }
}
