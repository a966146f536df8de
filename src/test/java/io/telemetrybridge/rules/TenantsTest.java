package io.telemetrybridge.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenants from tokens (bridge.http.auth.tenants-file) on a running bridge against a real broker: the tenant a
 * token tells is stamped on every record (header and data) whatever the payload claims, routes records to the
 * tenant's topic over OTLP/HTTP and gRPC, and a read token bound to a tenant sees only that tenant's records.
 */
@ExtendWith(KafkaBroker.class)
class TenantsTest {

    @TempDir
    Path dir;

    @Test
    void theTokenNotThePayloadTellsTheTenantForWritesAndReads() throws IOException {
        Path routes = dir.resolve("routes");
        Files.createDirectories(routes);
        RoutingRulesTest.install(routes, Path.of("examples/routing/per-tenant-topics.camel.yaml"));
        String prefix = "telemetry";
        Path grpc = routes.resolve("ingest-otlp-grpc.camel.yaml");
        Files.writeString(grpc, RoutingRulesTest.withRules(Files.readString(grpc), "ingest-otlp-grpc-logs",
                "tenantTopics"));
        Path tenants = dir.resolve("tenants.txt");
        Files.writeString(tenants, """
                # tenant  group   token
                acme      ingest  acme-ingest-token-1
                globex    ingest  globex-ingest-token-1
                acme      read    acme-read-token-1
                """);
        try (RunningBridge bridge = RunningBridge.start(Map.of(
                "camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml",
                "camel.main.routes-reload-directory", routes.toString(),
                "bridge.http.auth.tenants-file", tenants.toString(),
                "bridge.http.auth.ingest.token", "plain-ingest-token-1",
                "bridge.http.auth.read.token", "plain-read-token-1"));
                OtlpGrpcClient grpcClient = new OtlpGrpcClient(bridge.grpcPort())) {
            // acme's token, a payload that claims globex: the record is acme's.
            assertThat(postOtlp(bridge, "acme-ingest-token-1", logs("globex", "from acme")).statusCode()).isEqualTo(200);
            List<Topics.Rec> acme = Topics.awaitRecords(prefix + ".acme.logs", 1, Duration.ofSeconds(20));
            assertThat(acme).hasSize(1);
            assertThat(acme.get(0).headers()).containsEntry("telemetry.tenant", "acme");
            assertThat(acme.get(0).value()).contains("from acme").contains("\"telemetry.tenant\":\"acme\"")
                    .doesNotContain("globex");

            // globex over gRPC lands in globex's topic; a token without a tenant in the fallback one.
            OtlpGrpcClient.Answer answer = grpcClient.call(OtlpGrpcClient.method("logs"),
                    logs(null, "from globex").toByteArray(), Map.of("authorization", "Bearer globex-ingest-token-1"),
                    null, 10_000);
            assertThat(answer.code()).isEqualTo(Status.Code.OK);
            List<Topics.Rec> globex = Topics.awaitRecords(prefix + ".globex.logs", 1, Duration.ofSeconds(20));
            assertThat(globex).hasSize(1);
            assertThat(globex.get(0).headers()).containsEntry("telemetry.tenant", "globex");
            assertThat(postOtlp(bridge, "plain-ingest-token-1", logs("acme", "no tenant")).statusCode()).isEqualTo(200);
            List<Topics.Rec> shared = Topics.awaitRecords(prefix + ".shared.logs", 1, Duration.ofSeconds(20));
            assertThat(shared).hasSize(1);
            assertThat(shared.get(0).headers()).doesNotContainKey("telemetry.tenant");
            assertThat(Topics.readAll(prefix + ".acme.logs")).hasSize(1);

            // The seed API: stamped too; acme's read token sees acme's records only, the plain one sees both.
            String now = Instant.now().toString();
            for (String[] t : new String[][] {{"acme-ingest-token-1", "seed acme"}, {"globex-ingest-token-1", "seed globex"}}) {
                String batch = """
                        {"id": "%s", "timestamp": "%s", "logs": [{"timestamp": "%s", "level": "Info",
                         "message": "%s", "attributes": {"service.name": "shop", "telemetry.tenant": "globex"}}]}"""
                        .formatted(UUID.randomUUID(), now, now, t[1]);
                HttpResponse<String> r = bridge.send(HttpRequest.newBuilder(bridge.uri("/api/v1/logs"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + t[0])
                        .POST(HttpRequest.BodyPublishers.ofString(batch)).build());
                assertThat(r.statusCode()).isEqualTo(200);
            }
            List<Topics.Rec> seed = Topics.awaitRecords(bridge.topic("logs"), 2, Duration.ofSeconds(20));
            assertThat(seed).extracting(rec -> rec.headers().get("telemetry.tenant"))
                    .containsExactlyInAnyOrder("acme", "globex");
            String query = "/api/v1/query/logs?service=shop&from=" + Instant.now().minusSeconds(600) + "&limit=10";
            String acmeSees = read(bridge, query, "acme-read-token-1");
            assertThat(acmeSees).contains("seed acme").doesNotContain("seed globex");
            String allSee = read(bridge, query, "plain-read-token-1");
            assertThat(allSee).contains("seed acme", "seed globex");
        }
    }

    @Test
    void aTenantOverItsRateGets429WithRetryAfterOverHttpAndResourceExhaustedOverGrpc() throws IOException {
        Path tenants = dir.resolve("tenants.txt");
        Files.writeString(tenants, "acme ingest acme-ingest-token-2\nglobex ingest globex-ingest-token-2\n");
        try (RunningBridge bridge = RunningBridge.start(Map.of(
                "bridge.http.auth.tenants-file", tenants.toString(),
                "bridge.http.auth.tenant-records-per-second", "5"));
                OtlpGrpcClient grpcClient = new OtlpGrpcClient(bridge.grpcPort())) {
            ExportLogsServiceRequest twenty = ExportLogsServiceRequest.newBuilder().addResourceLogs(
                    logs(null, "x").getResourceLogs(0).toBuilder().setScopeLogs(0, ScopeLogs.newBuilder()
                            .addAllLogRecords(java.util.Collections.nCopies(20, logs(null, "burst").getResourceLogs(0)
                                    .getScopeLogs(0).getLogRecords(0))))).build();
            // A full bucket lets one request through however large; the next one waits for the debt.
            assertThat(postOtlp(bridge, "acme-ingest-token-2", twenty).statusCode()).isEqualTo(200);
            HttpResponse<String> limited = postOtlp(bridge, "acme-ingest-token-2", twenty);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                    v -> assertThat(Integer.parseInt(v)).isBetween(1, 5));
            OtlpGrpcClient.Answer answer = grpcClient.call(OtlpGrpcClient.method("logs"), twenty.toByteArray(),
                    Map.of("authorization", "Bearer acme-ingest-token-2"), null, 10_000);
            assertThat(answer.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(answer.retryDelaySeconds()).isPositive();
            // Another tenant has its own bucket.
            assertThat(postOtlp(bridge, "globex-ingest-token-2", twenty).statusCode()).isEqualTo(200);
            String meters = bridge.send(HttpRequest.newBuilder(bridge.managementUri("/observe/metrics")).build()).body();
            assertThat(meters).containsPattern(
                    "telemetry_bridge_tenant_throttled_total\\{[^}]*tenant=\"acme\"[^}]*} 40\\.0");
            // Nothing of a refused request was sent: 20 of acme's, 20 of globex's.
            assertThat(Topics.awaitRecords(bridge.topic("logs"), 40, Duration.ofSeconds(20))).hasSize(40);
        }
    }

    @Test
    void aTokenListedAsPlainAndAsATenantsStopsTheStartUp() throws IOException {
        Path tenants = dir.resolve("tenants-overlap.txt");
        Files.writeString(tenants, "acme ingest shared-token-3\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunningBridge.start(Map.of(
                "bridge.http.auth.tenants-file", tenants.toString(),
                "bridge.http.auth.ingest.token", "shared-token-3")).close())
                .hasStackTraceContaining("bridge.http.auth.tenants-file: 1 token(s) of it are also")
                .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain("shared-token-3"));
    }

    private static String read(RunningBridge bridge, String path, String token) {
        HttpResponse<String> r = bridge.send(HttpRequest.newBuilder(bridge.uri(path))
                .header("Authorization", "Bearer " + token).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static HttpResponse<String> postOtlp(RunningBridge bridge, String token, ExportLogsServiceRequest body) {
        return bridge.send(HttpRequest.newBuilder(bridge.uri("/v1/logs"))
                .header("Content-Type", "application/x-protobuf").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    private static ExportLogsServiceRequest logs(String claimedTenant, String body) {
        Resource.Builder resource = Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("shop")));
        if (claimedTenant != null) {
            resource.addAttributes(KeyValue.newBuilder().setKey("telemetry.tenant")
                    .setValue(AnyValue.newBuilder().setStringValue(claimedTenant)));
        }
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().setResource(resource)
                .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(LogRecord.newBuilder()
                        .setTimeUnixNano(Instant.now().toEpochMilli() * 1_000_000L)
                        .setBody(AnyValue.newBuilder().setStringValue(body))))).build();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
