package io.telemetrybridge.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.telemetrybridge.model.LogData;
import io.telemetrybridge.model.LogLevel;
import io.telemetrybridge.model.MetricData;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.otlp.OtlpValidation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The rules engine without a broker: templates, drop and attribute rules, cutting a request by address. */
class RulesTest {

    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void templatesReadTheRecordAndRefuseWhatDoesNotParse() {
        RecordView view = new SeedItems.View(Signal.LOGS, "acme", log(LogLevel.INFO, Map.of("service.name", "cart")));
        assertThat(Template.parse("t.{tenant}.{signal}.{resource.service.name}").apply(view, "x"))
                .isEqualTo("t.acme.logs.cart");
        assertThat(Template.parse("{resource.service.namespace|none}-{attributes.absent}").apply(view, "fb"))
                .isEqualTo("none-fb");
        assertThat(RecordRouting.topicName("a b/c:d.ü")).isEqualTo("a_b_c_d._");
        assertThat(RecordRouting.topicName("..")).isEqualTo("_..");
        assertThatThrownBy(() -> Template.parse("t.{resource.service.name")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> Template.parse("t.{servce}")).hasMessageContaining("unknown variable '{servce}'");
        assertThatThrownBy(() -> new DropRule().setName("a(")).hasMessageContaining("not an RE2 pattern");
        assertThatThrownBy(() -> new DropRule().setSeverityBelow("LOUD")).hasMessageContaining("severityBelow 'LOUD'");
        assertThatThrownBy(() -> new RecordRouting().setHeaders("x-team, Authorization"))
                .hasMessageContaining("credentials");
        for (String reserved : List.of("telemetry.tenant", "Telemetry.Signal", "content-type", "kafka.OVERRIDE_TOPIC",
                "CamelHttpUri")) {
            assertThatThrownBy(() -> new RecordRouting().setHeaders("x-team," + reserved)).as(reserved)
                    .hasMessageContaining("only the bridge writes");
        }
        RecordRouting noKey = new RecordRouting();
        noKey.setKey("");
        assertThat(noKey.key(view)).isEmpty();
        assertThatThrownBy(new DropRule()::check).hasMessageContaining("no condition");
        AttributeRule hash = new AttributeRule();
        hash.setKeys("user\\.email");
        hash.setAction("hash");
        assertThatThrownBy(hash::check).hasMessageContaining("hashKey");
    }

    @Test
    void seedItemsAreDroppedRedactedAndStamped() {
        DropRule debug = new DropRule();
        debug.setSeverityBelow("INFO");
        AttributeRule email = new AttributeRule();
        email.setKeys("user\\..*");
        debug.process(exchange);
        email.process(exchange);
        RuleSet rules = RuleSet.find(exchange, "acme");
        assertThat(rules.apply(Signal.LOGS, log(LogLevel.DEBUG, Map.of()))).isNull();
        LogData kept = (LogData) rules.apply(Signal.LOGS, log(LogLevel.WARN, Map.of("user.email", "a@b.c",
                "user.id", "7", "service.name", "cart", "telemetry.tenant", "globex")));
        assertThat(kept.attributes()).containsOnly(Map.entry("service.name", "cart"),
                Map.entry("telemetry.tenant", "acme"));
        // A drop rule of logs leaves metrics alone; the tenant still goes on every item.
        MetricData m = new MetricData("cpu", null, null, null, null, Map.of("host", "a"), Instant.now());
        assertThat(((MetricData) rules.apply(Signal.METRICS, m)).labels()).containsEntry("telemetry.tenant", "acme");
    }

    @Test
    void aRequestIsCutByAddressInOnePassKeepingOrderResourcesAndScopes() {
        RecordRouting routing = new RecordRouting();
        routing.setTopic("spans.{resource.service.name}");
        routing.setKey("{attributes.user}");
        routing.process(exchange);
        DropRule health = new DropRule();
        health.setName("^health");
        health.process(exchange);
        RuleSet rules = RuleSet.find(exchange, null);
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(spans("cart", "u1", "u2", "u1", "health"))
                .addResourceSpans(spans("pay", "u1")).build();
        ExportTraceServiceRequest kept = (ExportTraceServiceRequest) rules.apply(Signal.TRACES, request);
        assertThat(OtlpValidation.items(Signal.TRACES, kept)).isEqualTo(4);
        List<RuleSet.Routed> parts = rules.route(Signal.TRACES, kept);
        assertThat(parts).extracting(RuleSet.Routed::topic, RuleSet.Routed::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple("spans.cart", "u1"),
                org.assertj.core.groups.Tuple.tuple("spans.cart", "u2"),
                org.assertj.core.groups.Tuple.tuple("spans.pay", "u1"));
        ExportTraceServiceRequest first = (ExportTraceServiceRequest) parts.get(0).request();
        assertThat(first.getResourceSpans(0).getResource()).isEqualTo(request.getResourceSpans(0).getResource());
        assertThat(first.getResourceSpans(0).getScopeSpans(0).getScope().getName()).isEqualTo("lib");
        assertThat(first.getResourceSpans(0).getScopeSpans(0).getSpansList()).extracting(Span::getName)
                .containsExactly("op0", "op2");
    }

    @Test
    void metricDataPointsAreDecidedOneByOne() {
        DropRule internal = new DropRule();
        internal.setAttribute("internal");
        internal.process(exchange);
        RecordRouting routing = new RecordRouting();
        routing.setKey("{attributes.host}");
        routing.process(exchange);
        RuleSet rules = RuleSet.find(exchange, null);
        Metric gauge = Metric.newBuilder().setName("load").setGauge(Gauge.newBuilder()
                .addDataPoints(point("a", false)).addDataPoints(point("b", false)).addDataPoints(point("a", true))
                .addDataPoints(point("a", false))).build();
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
                ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge))).build();
        List<RuleSet.Routed> parts = rules.route(Signal.METRICS, rules.apply(Signal.METRICS, request));
        assertThat(parts).extracting(RuleSet.Routed::key).containsExactly("a", "b");
        assertThat(OtlpValidation.items(Signal.METRICS, parts.get(0).request())).isEqualTo(2);
        assertThat(OtlpValidation.items(Signal.METRICS, parts.get(1).request())).isEqualTo(1);
    }

    private static NumberDataPoint point(String host, boolean internal) {
        NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setTimeUnixNano(1).setAsInt(1)
                .addAttributes(kv("host", host));
        if (internal) {
            p.addAttributes(kv("internal", "yes"));
        }
        return p.build();
    }

    private static ResourceSpans spans(String service, String... users) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(
                io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder().setName("lib"));
        for (int i = 0; i < users.length; i++) {
            String name = users[i].equals("health") ? "health check" : "op" + i;
            scope.addSpans(Span.newBuilder().setName(name).setTraceId(ByteString.copyFrom(new byte[16]))
                    .setSpanId(ByteString.copyFrom(new byte[8])).addAttributes(kv("user", users[i])));
        }
        return ResourceSpans.newBuilder().setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
                .addScopeSpans(scope).build();
    }

    private static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    private static LogData log(LogLevel level, Map<String, String> attributes) {
        return new LogData(Instant.now(), level, "m", attributes, null, null, null);
    }
}
