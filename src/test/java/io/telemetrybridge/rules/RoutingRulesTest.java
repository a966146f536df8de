package io.telemetrybridge.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.OtlpGrpcClient;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing, drop and attribute rules declared in route files (the examples of examples/routing/ and rules added to
 * the seed-API and file routes), on a running bridge against a real broker: what lands on which topic under which
 * key with which headers, what is left out and counted, a live edit of a template, a bad rule refused on reload,
 * and the bound on the topics a template may create.
 */
@ExtendWith(KafkaBroker.class)
class RoutingRulesTest {

    @TempDir
    Path routes;

    @Test
    void theExamplesKeyByServiceDropDebugRemoveEmailAndRouteByNamespace() throws IOException {
        install(routes, Path.of("examples/routing/partition-by-service.camel.yaml"),
                Path.of("examples/routing/drop-debug-redact-email.camel.yaml"),
                Path.of("examples/routing/topic-per-namespace.camel.yaml"));
        String namespace = "ns" + UUID.randomUUID().toString().substring(0, 8);
        Path grpc = routes.resolve("ingest-otlp-grpc.camel.yaml");
        Files.writeString(grpc, withRules(Files.readString(grpc), "ingest-otlp-grpc-metrics", "metricsByNamespace"));
        try (RunningBridge bridge = start(); OtlpGrpcClient client = new OtlpGrpcClient(bridge.grpcPort())) {
            // Spans of two services, interleaved in one request: keyed by service, not by trace.
            ExportTraceServiceRequest traces = ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(spans("cart", 3)).addResourceSpans(spans("pay", 2)).build();
            assertThat(post(bridge, "/v1/traces", traces.toByteArray(), Map.of()).statusCode()).isEqualTo(200);
            List<Topics.Rec> spans = Topics.awaitRecords(bridge.topic("traces"), 5, Duration.ofSeconds(20));
            assertThat(spans).extracting(Topics.Rec::key).containsExactlyInAnyOrder("cart", "cart", "cart", "pay", "pay");

            // Logs: DEBUG left out, INFO kept without user.email, unspecified severity kept.
            ExportLogsServiceRequest logs = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                    .setResource(resource("cart", null, KeyValue.newBuilder().setKey("user.email")
                            .setValue(str("res@example.com")).build()))
                    .addScopeLogs(ScopeLogs.newBuilder()
                            .addLogRecords(log(SeverityNumber.SEVERITY_NUMBER_DEBUG, "debug line"))
                            .addLogRecords(log(SeverityNumber.SEVERITY_NUMBER_INFO, "info line").toBuilder()
                                    .addAttributes(KeyValue.newBuilder().setKey("user.email").setValue(str("a@b.c"))))
                            .addLogRecords(log(SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED, "plain line")))).build();
            assertThat(post(bridge, "/v1/logs", logs.toByteArray(), Map.of()).statusCode()).isEqualTo(200);
            List<Topics.Rec> written = Topics.awaitRecords(bridge.topic("logs"), 2, Duration.ofSeconds(20));
            assertThat(written).hasSize(2);
            assertThat(String.join("\n", written.stream().map(Topics.Rec::value).toList()))
                    .contains("info line", "plain line").doesNotContain("debug line", "user.email", "a@b.c",
                            "res@example.com");
            String meters = meters(bridge);
            assertThat(meters).containsPattern(
                    "telemetry_bridge_rule_dropped_total\\{[^}]*rule=\"dropDebugLogs\"[^}]*signal=\"logs\"[^}]*} 1\\.0");
            assertThat(meters).containsPattern(
                    "telemetry_bridge_rule_redacted_total\\{[^}]*rule=\"removeEmail\"[^}]*} 2\\.0");

            // Metrics: a topic per namespace, created on first use; x-team copied, the token header not.
            ExportMetricsServiceRequest metrics = ExportMetricsServiceRequest.newBuilder()
                    .addResourceMetrics(metrics("cart", namespace)).addResourceMetrics(metrics("pay", null)).build();
            HttpResponse<String> answer = post(bridge, "/v1/metrics", metrics.toByteArray(),
                    Map.of("X-Team", "checkout", "X-Other", "left-out"));
            assertThat(answer.statusCode()).isEqualTo(200);
            List<Topics.Rec> routed = Topics.awaitRecords("metrics." + namespace, 1, Duration.ofSeconds(20));
            assertThat(routed).hasSize(1);
            assertThat(routed.get(0).headers()).containsEntry("x-team", "checkout").doesNotContainKey("x-other")
                    .containsEntry("telemetry.signal", "metrics");
            assertThat(Topics.awaitRecords("metrics.default", 1, Duration.ofSeconds(20))).isNotEmpty();
            assertThat(Topics.readAll(bridge.topic("metrics"))).extracting(Topics.Rec::value)
                    .noneMatch(v -> v.contains("queue.depth"));
            assertThat(bridge.get("/api/v1/topics").body()).contains("metrics." + namespace);

            // The same rule on the gRPC route: metadata x-team copied, the token metadata and the rest not.
            OtlpGrpcClient.Answer answer2 = client.call(OtlpGrpcClient.method("metrics"),
                    ExportMetricsServiceRequest.newBuilder().addResourceMetrics(metrics("cart", namespace)).build()
                            .toByteArray(), Map.of("x-team", "grpc-team", "x-other", "left-out"), null, 10_000);
            assertThat(answer2.code()).isEqualTo(io.grpc.Status.Code.OK);
            List<Topics.Rec> both = Topics.awaitRecords("metrics." + namespace, 2, Duration.ofSeconds(20));
            assertThat(both).hasSize(2);
            assertThat(both).extracting(r -> r.headers().get("x-team")).containsExactlyInAnyOrder("checkout", "grpc-team");
            assertThat(both.get(1).headers()).doesNotContainKey("x-other").containsEntry("telemetry.source", "otlp-grpc");
        }
    }

    @Test
    void rulesApplyToTheSeedApiAndToFileDrops() throws IOException {
        install(routes);
        Path http = routes.resolve("ingest-http.camel.yaml");
        String seedTopic = "seed" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(http, withRules(Files.readString(http), "ingest-http-logs", "dropHealth", "hashEmail",
                "seedRouting") + BEANS + """
                    - name: seedRouting
                      type: io.telemetrybridge.rules.RecordRouting
                      properties:
                        topic: "%s.{resource.service.name|none}"
                        key: "{attributes.order|no-order}"
                """.formatted(seedTopic));
        Path file = routes.resolve("ingest-file.camel.yaml");
        Files.writeString(file, withRules(Files.readString(file), "ingest-file-logs", "dropHealth", "hashEmail",
                "seedRouting"));
        try (RunningBridge bridge = start()) {
            String now = java.time.Instant.now().toString();
            String batch = """
                    {"id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "timestamp": "%1$s", "logs": [
                      {"timestamp": "%1$s", "level": "Info", "message": "health ok",
                       "attributes": {"http.route": "/healthz"}},
                      {"timestamp": "%1$s", "level": "Info", "message": "order placed",
                       "attributes": {"user.email": "a@b.c", "service.name": "shop", "order": "o-17"}}
                    ]}""".formatted(now);
            HttpResponse<String> answer = bridge.post("/api/v1/logs", "application/json",
                    batch.getBytes(StandardCharsets.UTF_8));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"records_written\":1");
            List<Topics.Rec> written = Topics.awaitRecords(seedTopic + ".shop", 1, Duration.ofSeconds(20));
            assertThat(written).hasSize(1);
            assertThat(written.get(0).value()).contains("order placed").doesNotContain("a@b.c")
                    .contains(hmac("a@b.c"));
            assertThat(written.get(0).key()).isEqualTo("o-17");

            Files.writeString(bridge.inbox().resolve("logs").resolve("drop.jsonl"), """
                    {"timestamp": "%1$s", "level": "Info", "message": "file health", "attributes": {"http.route": "/healthz"}}
                    {"timestamp": "%1$s", "level": "Info", "message": "file order", "attributes": {"user.email": "x@y.z"}}
                    """.formatted(now));
            List<Topics.Rec> fromFile = Topics.awaitRecords(seedTopic + ".none", 1, Duration.ofSeconds(30));
            assertThat(fromFile).hasSize(1);
            assertThat(fromFile.get(0).value()).contains("file order").doesNotContain("x@y.z").contains(hmac("x@y.z"));
            assertThat(fromFile.get(0).key()).isEqualTo("no-order");
            assertThat(Topics.readAll(bridge.topic("logs"))).extracting(Topics.Rec::value)
                    .noneMatch(v -> v.contains("file health") || v.contains("order placed"));
            assertThat(meters(bridge)).containsPattern(
                    "telemetry_bridge_rule_dropped_total\\{[^}]*rule=\"dropHealth\"[^}]*} 2\\.0");
        }
    }

    @Test
    void aTemplateEditAppliesLiveABadRuleIsRefusedAndTheTopicBoundHolds() throws IOException {
        install(routes);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Path otlp = routes.resolve("ingest-otlp.camel.yaml");
        String original = Files.readString(otlp);
        Files.writeString(otlp, withRules(original, "ingest-otlp-logs", "logsRouting")
                + routing("a" + suffix + ".{resource.service.name}", 1));
        try (RunningBridge bridge = start()) {
            awaitReady(bridge);
            ExportLogsServiceRequest cart = logsOf("cart");
            assertThat(post(bridge, "/v1/logs", cart.toByteArray(), Map.of()).statusCode()).isEqualTo(200);
            assertThat(Topics.awaitRecords("a" + suffix + ".cart", 1, Duration.ofSeconds(20))).hasSize(1);

            // The bound: a second service would be a second topic; its records go to the dead-letter topic.
            HttpResponse<String> over = post(bridge, "/v1/logs", logsOf("pay").toByteArray(), Map.of());
            assertThat(over.statusCode()).isEqualTo(200);
            List<Topics.Rec> letters = Topics.awaitRecords(bridge.topic("dlq"), 1, Duration.ofSeconds(20));
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).headers().toString()).contains("maxTopics");

            // A live edit of the template: new records follow it, without a restart.
            Files.writeString(otlp, withRules(original, "ingest-otlp-logs", "logsRouting")
                    + routing("b" + suffix + ".{resource.service.name}", 5));
            awaitTrue(() -> {
                post(bridge, "/v1/logs", cart.toByteArray(), Map.of());
                return Topics.exists("b" + suffix + ".cart");
            }, 20_000);
            assertThat(Topics.awaitRecords("b" + suffix + ".cart", 1, Duration.ofSeconds(20))).isNotEmpty();

            String good = Files.readString(otlp);
            // missingTopics: dead-letter: a topic that does not exist is not created; its records are dead letters.
            Files.writeString(otlp, withRules(original, "ingest-otlp-logs", "logsRouting")
                    + routing("d" + suffix + ".{resource.service.name}", 5) + "        missingTopics: dead-letter\n");
            awaitTrue(() -> {
                post(bridge, "/v1/logs", cart.toByteArray(), Map.of());
                return Topics.readAll(bridge.topic("dlq")).stream()
                        .anyMatch(r -> r.headers().toString().contains("does not exist"));
            }, 20_000);
            assertThat(Topics.exists("d" + suffix + ".cart")).isFalse();
            Files.writeString(otlp, good);
            awaitTrue(() -> {
                long before0 = Topics.endOffsetSum("b" + suffix + ".cart");
                post(bridge, "/v1/logs", cart.toByteArray(), Map.of());
                return Topics.endOffsetSum("b" + suffix + ".cart") > before0;
            }, 20_000);

            // A template that does not parse: refused, the routes of before keep serving, readiness says why.
            Files.writeString(otlp, withRules(original, "ingest-otlp-logs", "logsRouting")
                    + routing("c" + suffix + ".{resource.service.name", 5));
            awaitTrue(() -> ready(bridge).body().contains("was not applied"), 20_000);
            assertThat(ready(bridge).body()).contains("ingest-otlp.camel.yaml");
            long before = Topics.endOffsetSum("b" + suffix + ".cart");
            assertThat(post(bridge, "/v1/logs", cart.toByteArray(), Map.of()).statusCode()).isEqualTo(200);
            assertThat(Topics.endOffsetSum("b" + suffix + ".cart")).isEqualTo(before + 1);
            Files.writeString(otlp, good);
            awaitReady(bridge);

            // Properties that parse but do not go together (a drop rule with no condition): refused when the route
            // starts, the routes of before put back.
            Files.writeString(otlp, withRules(original, "ingest-otlp-logs", "dropAll") + """

                    - beans:
                        - name: dropAll
                          type: io.telemetrybridge.rules.DropRule
                          properties:
                            signal: logs
                    """);
            awaitTrue(() -> ready(bridge).body().contains("no condition"), 20_000);
            long now = Topics.endOffsetSum("b" + suffix + ".cart");
            awaitTrue(() -> post(bridge, "/v1/logs", cart.toByteArray(), Map.of()).statusCode() == 200, 20_000);
            awaitTrue(() -> Topics.endOffsetSum("b" + suffix + ".cart") > now, 20_000);
            Files.writeString(otlp, good);
            awaitReady(bridge);
        }
    }

    @Test
    void aRefusedEditLeavesNoneOfItsRulesBehindWhenTheGoodFileIsSavedAgain() throws IOException {
        install(routes, Path.of("examples/routing/drop-debug-redact-email.camel.yaml"));
        Path example = routes.resolve("drop-debug-redact-email.camel.yaml");
        String good = Files.readString(example);
        try (RunningBridge bridge = start()) {
            awaitReady(bridge);
            // Valid values for the first bean, a pattern that does not parse in the second: the edit is refused.
            String bad = good.replace("severityBelow: INFO", "severityBelow: FATAL")
                    .replace("keys: \"user\\\\.email\"", "keys: \"user\\\\.(email\"");
            Files.writeString(example, bad);
            awaitTrue(() -> ready(bridge).body().contains("was not applied"), 20_000);
            ExportLogsServiceRequest warn = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                    .setResource(resource("cart", null)).addScopeLogs(ScopeLogs.newBuilder()
                            .addLogRecords(log(SeverityNumber.SEVERITY_NUMBER_WARN, "a warning")))).build();
            // The refused file saved again as it is (a save often comes as two events): still refused, and the
            // rules of before still apply. Camel's loader used to skip the beans of the failed attempt here and
            // load the routes over them, reporting success (a WARN log dropped under severityBelow: FATAL).
            Files.writeString(example, bad);
            Topics.sleep(3000);
            assertThat(ready(bridge).body()).contains("was not applied");
            assertThat(post(bridge, "/v1/logs", warn.toByteArray(), Map.of()).statusCode()).isEqualTo(200);
            assertThat(Topics.awaitRecords(bridge.topic("logs"), 1, Duration.ofSeconds(10)))
                    .as("a WARN log under the good file's severityBelow: INFO, the edit refused").hasSize(1);
            // The good file again, byte for byte (an editor's undo, git checkout).
            Files.writeString(example, good);
            awaitReady(bridge);
            Topics.sleep(2000);
            assertThat(post(bridge, "/v1/logs", warn.toByteArray(), Map.of()).statusCode()).isEqualTo(200);
            assertThat(Topics.awaitRecords(bridge.topic("logs"), 2, Duration.ofSeconds(10)))
                    .as("a WARN log under the file's severityBelow: INFO").hasSize(2);
        }
    }

    @Test
    void concurrentRequestsCannotPassTheTopicBoundAndACollidingNameIsADeadLetter() throws Exception {
        install(routes);
        String race = "race" + UUID.randomUUID().toString().substring(0, 8);
        Path otlp = routes.resolve("ingest-otlp.camel.yaml");
        Files.writeString(otlp, withRules(Files.readString(otlp), "ingest-otlp-metrics", "raceRouting") + """

                - beans:
                    - name: raceRouting
                      type: io.telemetrybridge.rules.RecordRouting
                      properties:
                        topic: "%s.{resource.service.namespace}"
                        maxTopics: 3
                """.formatted(race));
        try (RunningBridge bridge = start()) {
            // a_b first, then a.b: Kafka refuses the second name (it collides with the first).
            assertThat(post(bridge, "/v1/metrics", ExportMetricsServiceRequest.newBuilder()
                    .addResourceMetrics(metrics("cart", "a_b")).build().toByteArray(), Map.of()).statusCode())
                    .isEqualTo(200);
            HttpResponse<String> collides = bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/metrics"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            new String(io.telemetrybridge.otlp.OtlpJsonWriter.write(ExportMetricsServiceRequest
                                    .newBuilder().addResourceMetrics(metrics("cart", "a.b"))
                                    .addResourceMetrics(metrics("pay", "a_b")).build()), StandardCharsets.UTF_8)))
                    .build());
            assertThat(collides.statusCode()).as(collides.body()).isEqualTo(200);
            assertThat(collides.body()).contains("rejectedDataPoints").contains("refuses to create");
            // 20 requests at once, each for a topic of its own: at most 3 topics in all (a_b is one of them).
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] body = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(metrics("cart", "n" + i))
                        .build().toByteArray();
                Thread t = new Thread(() -> post(bridge, "/v1/metrics", body, Map.of()));
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(30_000);
            }
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                    Map.of("bootstrap.servers", KafkaBroker.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get().stream().filter(n -> n.startsWith(race + ".")))
                        .hasSize(3);
            }
            assertThat(Topics.readAll(bridge.topic("dlq"))).extracting(r -> r.headers().toString())
                    .anyMatch(h -> h.contains("refuses to create")).anyMatch(h -> h.contains("maxTopics"));
        }
    }

    private static final String BEANS = """

            - beans:
                - name: dropHealth
                  type: io.telemetrybridge.rules.DropRule
                  properties:
                    attribute: http.route
                    matches: "^/health"
                - name: hashEmail
                  type: io.telemetrybridge.rules.AttributeRule
                  properties:
                    keys: "user\\\\.email"
                    action: hash
                    hashKey: "0123456789abcdef-test"
            """;

    private static String hmac(String value) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec("0123456789abcdef-test".getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String routing(String topic, int maxTopics) {
        return """

                - beans:
                    - name: logsRouting
                      type: io.telemetrybridge.rules.RecordRouting
                      properties:
                        topic: "%s"
                        maxTopics: %d
                """.formatted(topic, maxTopics);
    }

    /** The route files of routes/, with the routes the examples define replaced by the examples' own. */
    static void install(Path target, Path... examples) throws IOException {
        List<String> replaced = new ArrayList<>();
        for (Path e : examples) {
            Matcher m = Pattern.compile("(?m)^    id: (\\S+)").matcher(Files.readString(e));
            while (m.find()) {
                replaced.add(m.group(1));
            }
        }
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                StringBuilder kept = new StringBuilder();
                for (String item : Files.readString(f).split("(?m)^(?=- )")) {
                    Matcher m = Pattern.compile("(?m)^    id: (\\S+)").matcher(item);
                    if (!(m.find() && replaced.contains(m.group(1)))) {
                        kept.append(item);
                    }
                }
                if (kept.toString().contains("\n- ") || kept.toString().startsWith("- ")) {
                    Files.writeString(target.resolve(f.getFileName()), kept.toString());
                }
            }
        }
        for (Path e : examples) {
            Files.copy(e, target.resolve(e.getFileName()));
        }
    }

    /** {@code yaml} with {@code process} steps of {@code rules} first in the route {@code routeId}. */
    static String withRules(String yaml, String routeId, String... rules) {
        int at = yaml.indexOf("    id: " + routeId + "\n");
        assertThat(at).as(routeId).isNotNegative();
        int steps = yaml.indexOf("      steps:\n", at) + "      steps:\n".length();
        StringBuilder use = new StringBuilder();
        for (String r : rules) {
            use.append("        - process:\n            ref: ").append(r).append("\n");
        }
        return yaml.substring(0, steps) + use + yaml.substring(steps);
    }

    private RunningBridge start() {
        return RunningBridge.start(Map.of(
                "camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml",
                "camel.main.routes-reload-directory", routes.toString()));
    }

    private static HttpResponse<String> post(RunningBridge bridge, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(bridge.uri(path))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return bridge.send(b.build());
    }

    private static String meters(RunningBridge bridge) {
        return bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/metrics")).build()).body();
    }

    private static HttpResponse<String> ready(RunningBridge bridge) {
        return bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/health/ready")).build());
    }

    private static void awaitReady(RunningBridge bridge) {
        awaitTrue(() -> ready(bridge).statusCode() == 200, 20_000);
    }

    private static void awaitTrue(BooleanSupplier condition, long ms) {
        long deadline = System.currentTimeMillis() + ms;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("condition within " + ms + " ms").isLessThan(deadline);
            Topics.sleep(250);
        }
    }

    private static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    private static Resource resource(String service, String namespace, KeyValue... more) {
        Resource.Builder r = Resource.newBuilder()
                .addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(str(service)));
        if (namespace != null) {
            r.addAttributes(KeyValue.newBuilder().setKey("service.namespace").setValue(str(namespace)));
        }
        for (KeyValue kv : more) {
            r.addAttributes(kv);
        }
        return r.build();
    }

    private static ResourceSpans spans(String service, int n) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (int i = 0; i < n; i++) {
            byte[] trace = new byte[16];
            trace[0] = (byte) (service.hashCode() + i);
            trace[15] = 1;
            scope.addSpans(Span.newBuilder().setTraceId(com.google.protobuf.ByteString.copyFrom(trace))
                    .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) (i + 1)}))
                    .setName("op" + i).setStartTimeUnixNano(1_700_000_000_000_000_000L)
                    .setEndTimeUnixNano(1_700_000_000_100_000_000L));
        }
        return ResourceSpans.newBuilder().setResource(resource(service, null)).addScopeSpans(scope).build();
    }

    private static LogRecord log(SeverityNumber severity, String body) {
        return LogRecord.newBuilder().setTimeUnixNano(1_700_000_000_000_000_000L).setSeverityNumber(severity)
                .setBody(str(body)).build();
    }

    private static ExportLogsServiceRequest logsOf(String service) {
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(resource(service, null)).addScopeLogs(ScopeLogs.newBuilder()
                        .addLogRecords(log(SeverityNumber.SEVERITY_NUMBER_INFO, "from " + service)))).build();
    }

    private static ResourceMetrics metrics(String service, String namespace) {
        return ResourceMetrics.newBuilder().setResource(resource(service, namespace))
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("queue.depth")
                        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                                .setTimeUnixNano(1_700_000_000_000_000_000L).setAsInt(3))))).build();
    }
}
