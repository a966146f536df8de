package io.telemetrybridge.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.telemetrybridge.support.Json;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.Topics;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The query API over data sent through the bridge's own HTTP endpoints, read back from a real broker. Expected
 * answers are computed here from the data the test generated, not by the code under test.
 */
@ExtendWith(KafkaBroker.class)
class QueryApiTest {

    static final String[] SERVICES = {"shop", "storage", "auth"};
    static final String[] LEVELS = {"Info", "Warn", "Error", "Debug"};
    static final String[] HOSTS = {"web-1", "web-2", "web-3", "web-4"};

    static RunningBridge bridge;
    /** Event times start here, ten minutes before the test, whole seconds. */
    static Instant base;
    static final List<ObjectNode> logs = new ArrayList<>();
    static final List<ObjectNode> metrics = new ArrayList<>();
    static final Map<String, List<ObjectNode>> traces = new TreeMap<>();

    @BeforeAll
    static void ingest() {
        bridge = RunningBridge.start();
        base = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Random random = new Random(7);
        for (int i = 0; i < 60; i++) {
            ObjectNode log = Json.MAPPER.createObjectNode();
            // Pairs share a timestamp, so ties are ordered by partition and offset.
            log.put("timestamp", base.plusSeconds(i / 2).toString());
            log.put("level", LEVELS[i % LEVELS.length]);
            log.put("message", "order " + i + (i % 7 == 0 ? " failed" : " placed"));
            log.putObject("attributes").put("service.name", SERVICES[i % SERVICES.length]).put("n", String.valueOf(i));
            logs.add(log);
        }
        for (int i = 0; i < 40; i++) {
            ObjectNode m = Json.MAPPER.createObjectNode();
            m.put("name", "cpu_usage");
            m.put("metric_type", "Gauge");
            m.putObject("value").put("Gauge", Math.round(random.nextDouble() * 1000) / 10.0);
            m.putObject("labels").put("host", HOSTS[i % HOSTS.length]);
            m.put("timestamp", base.plusSeconds(i).toString());
            metrics.add(m);
        }
        for (int t = 0; t < 30; t++) {
            String traceId = String.format("%016x%016x", random.nextLong(), random.nextLong());
            List<ObjectNode> spans = new ArrayList<>();
            for (int s = 2; s >= 0; s--) {
                ObjectNode span = Json.MAPPER.createObjectNode();
                span.put("trace_id", traceId);
                span.put("span_id", String.format("%016x", random.nextLong()));
                span.put("name", "step " + s);
                span.put("kind", "Internal");
                span.put("start_time", base.plusMillis(t * 1000L + s * 10L).toString());
                span.putObject("status").put("code", "Ok");
                span.putObject("attributes").put("service.name", SERVICES[t % SERVICES.length]);
                spans.add(span);
            }
            traces.put(traceId, spans);
        }
        post("logs", logs.subList(0, 25));
        post("logs", logs.subList(25, 60));
        post("metrics", metrics);
        post("traces", traces.values().stream().flatMap(List::stream).toList());
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @Test
    void logsQueryFiltersByServiceAndLevelInEventTimeOrder() {
        JsonNode result = query("logs", "{\"service_name\": \"shop\", \"log_level\": \"error\", "
                + range(base, base.plusSeconds(3600)) + "}");

        assertThat(result.get("status").asText()).isEqualTo("Success");
        List<String> expected = logs.stream().filter(l -> service(l).equals("shop")
                && l.get("level").asText().equals("Error")).map(l -> l.get("message").asText()).toList();
        assertThat(expected).isNotEmpty();
        assertThat(messages(result)).isEqualTo(expected);
        assertThat(result.get("errors")).isEmpty();
        assertThat(result.get("metadata").get("total_matches").asText()).isEqualTo(String.valueOf(expected.size()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "Equals             | {\"String\": \"storage\"}                      | attributes.service.name",
            "NotEquals          | {\"String\": \"storage\"}                      | attributes.service.name",
            "Contains           | {\"String\": \"failed\"}                       | message",
            "NotContains        | {\"String\": \"failed\"}                       | message",
            "GreaterThan        | {\"Number\": 40}                               | attributes.n",
            "GreaterThanOrEqual | {\"Number\": 40}                               | attributes.n",
            "LessThan           | {\"Number\": 5}                                | attributes.n",
            "LessThanOrEqual    | {\"Number\": 5}                                | attributes.n",
            "In                 | {\"Array\": [{\"String\": \"Warn\"}, {\"String\": \"Debug\"}]} | level",
            "NotIn              | {\"Array\": [{\"String\": \"Warn\"}, {\"String\": \"Debug\"}]} | level",
            "Exists             | \"Null\"                                       | attributes.n",
            "NotExists          | \"Null\"                                       | attributes.n",
            "StartsWith         | {\"String\": \"order 1\"}                      | message",
            "EndsWith           | {\"String\": \"placed\"}                       | message",
            "Regex              | {\"String\": \"^order [0-9]*5 \"}              | message"})
    void everySeedOperatorSelectsWhatItSays(String operator, String value, String field) {
        JsonNode result = query("logs", "{\"filters\": [{\"field\": \"" + field + "\", \"operator\": \"" + operator
                + "\", \"value\": " + value + "}], \"limit\": 100, " + range(base, base.plusSeconds(3600)) + "}");

        Predicate<ObjectNode> rule = switch (operator) {
            case "Equals" -> l -> service(l).equals("storage");
            case "NotEquals" -> l -> !service(l).equals("storage");
            case "Contains" -> l -> l.get("message").asText().contains("failed");
            case "NotContains" -> l -> !l.get("message").asText().contains("failed");
            case "GreaterThan" -> l -> n(l) > 40;
            case "GreaterThanOrEqual" -> l -> n(l) >= 40;
            case "LessThan" -> l -> n(l) < 5;
            case "LessThanOrEqual" -> l -> n(l) <= 5;
            case "In" -> l -> Set.of("Warn", "Debug").contains(l.get("level").asText());
            case "NotIn" -> l -> !Set.of("Warn", "Debug").contains(l.get("level").asText());
            case "Exists" -> l -> true;
            case "NotExists" -> l -> false;
            case "StartsWith" -> l -> l.get("message").asText().startsWith("order 1");
            case "EndsWith" -> l -> l.get("message").asText().endsWith("placed");
            case "Regex" -> l -> l.get("message").asText().matches("order [0-9]*5 .*");
            default -> throw new IllegalArgumentException(operator);
        };
        assertThat(result.get("status").asText()).isEqualTo("Success");
        // Logs of one second come from different services, hence partitions: compare without their order.
        assertThat(messages(result)).containsExactlyInAnyOrderElementsOf(
                logs.stream().filter(rule).map(l -> l.get("message").asText()).toList());
    }

    @Test
    void aggregationsMatchValuesComputedInTheTest() {
        JsonNode result = query("metrics", "{\"filters\": [{\"field\": \"name\", \"operator\": \"Equals\", "
                + "\"value\": {\"String\": \"cpu_usage\"}}], \"limit\": 0, " + range(base, base.plusSeconds(3600))
                + ", \"aggregations\": ["
                + "{\"field\": \"value\", \"function\": \"Count\"},"
                + "{\"field\": \"value\", \"function\": \"Sum\"},"
                + "{\"field\": \"value\", \"function\": \"Average\", \"alias\": \"avg_cpu\"},"
                + "{\"field\": \"value\", \"function\": \"Min\"},"
                + "{\"field\": \"value\", \"function\": \"Max\"},"
                + "{\"field\": \"value\", \"function\": \"Median\"},"
                + "{\"field\": \"value\", \"function\": \"Percentile\", \"parameters\": {\"p\": 90}},"
                + "{\"field\": \"labels.host\", \"function\": \"Cardinality\"},"
                + "{\"field\": \"value\", \"function\": \"Histogram\", \"parameters\": {\"interval\": 25}},"
                + "{\"field\": \"value\", \"function\": \"Max\", \"alias\": \"max_by_host\","
                + " \"parameters\": {\"group_by\": \"labels.host\"}}]}");

        double[] values = metrics.stream().mapToDouble(m -> m.get("value").get("Gauge").asDouble()).sorted().toArray();
        JsonNode aggs = result.get("aggregations");
        assertThat(result.get("data")).isEmpty();
        assertThat(aggs.get("count_value").get("value").asLong()).isEqualTo(values.length);
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        assertThat(aggs.get("sum_value").get("value").asDouble()).isCloseTo(sum, within());
        assertThat(aggs.get("avg_cpu").get("value").asDouble()).isCloseTo(sum / values.length, within());
        assertThat(aggs.get("min_value").get("value").asDouble()).isEqualTo(values[0]);
        assertThat(aggs.get("max_value").get("value").asDouble()).isEqualTo(values[values.length - 1]);
        // 40 values: the median lies halfway between the 20th and 21st.
        assertThat(aggs.get("median_value").get("value").asDouble()).isCloseTo((values[19] + values[20]) / 2, within());
        // p90 by linear interpolation: rank 0.9 * 39 = 35.1.
        assertThat(aggs.get("percentile_value").get("value").asDouble())
                .isCloseTo(values[35] + 0.1 * (values[36] - values[35]), within());
        assertThat(aggs.get("cardinality_labels.host").get("value").asLong()).isEqualTo(HOSTS.length);
        long total = 0;
        for (JsonNode bucket : aggs.get("histogram_value").get("value")) {
            double lower = bucket.get("lower").asDouble();
            long expected = java.util.Arrays.stream(values).filter(v -> v >= lower && v < lower + 25).count();
            assertThat(bucket.get("count").asLong()).as("bucket %s", lower).isEqualTo(expected);
            total += expected;
        }
        assertThat(total).isEqualTo(values.length);
        for (JsonNode group : aggs.get("max_by_host").get("groups")) {
            String host = group.get("key").asText();
            double max = metrics.stream().filter(m -> m.get("labels").get("host").asText().equals(host))
                    .mapToDouble(m -> m.get("value").get("Gauge").asDouble()).max().orElseThrow();
            assertThat(group.get("value").asDouble()).as(host).isEqualTo(max);
        }
        assertThat(aggs.get("max_by_host").get("groups")).hasSize(HOSTS.length);
    }

    @Test
    void timeRangeIncludesItsStartAndExcludesItsEnd() {
        // Metric i has event time base + i s: [base+10s, base+20s) holds i = 10 .. 19.
        JsonNode result = query("metrics", "{" + range(base.plusSeconds(10), base.plusSeconds(20)) + "}");

        List<String> times = new ArrayList<>();
        result.get("data").forEach(m -> times.add(m.get("timestamp").asText()));
        assertThat(times).hasSize(10);
        assertThat(Instant.parse(times.get(0))).isEqualTo(base.plusSeconds(10));
        assertThat(Instant.parse(times.get(9))).isEqualTo(base.plusSeconds(19));
    }

    @Test
    void limitAndOffsetPageThroughEveryMatchOnceInAStableOrder() {
        List<String> all = messages(query("logs", "{\"limit\": 1000, " + range(base, base.plusSeconds(3600)) + "}"));
        assertThat(all).hasSize(logs.size());

        List<String> paged = new ArrayList<>();
        for (int offset = 0; offset < 70; offset += 7) {
            paged.addAll(messages(query("logs", "{\"limit\": 7, \"offset\": " + offset + ", "
                    + range(base, base.plusSeconds(3600)) + "}")));
        }
        assertThat(paged).isEqualTo(all);
        assertThat(new HashSet<>(paged)).hasSize(logs.size());
        // Event time order; a tie (two logs per second) keeps one fixed order on every call.
        List<Instant> times = new ArrayList<>();
        for (String m : all) {
            times.add(Instant.parse(logs.get(Integer.parseInt(m.split(" ")[1])).get("timestamp").asText()));
        }
        assertThat(times).isSortedAccordingTo(Comparator.naturalOrder());
    }

    @Test
    void traceByIdGivesExactlyItsSpansInStartTimeOrder() {
        for (Map.Entry<String, List<ObjectNode>> trace : traces.entrySet()) {
            HttpResponse<String> response = bridge.get("/api/v1/traces/" + trace.getKey());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode result = Json.tree(response.body());
            List<String> spans = new ArrayList<>();
            result.get("data").forEach(s -> spans.add(s.get("span_id").asText()));
            List<String> expected = trace.getValue().stream()
                    .sorted(Comparator.comparing(s -> Instant.parse(s.get("start_time").asText())))
                    .map(s -> s.get("span_id").asText()).toList();
            assertThat(spans).as(trace.getKey()).isEqualTo(expected);
            assertThat(result.get("metadata").get("partitions_read").asText()).isEqualTo("1");
        }
        assertThat(bridge.get("/api/v1/traces/0123456789abcdef0123456789abcdef").statusCode()).isEqualTo(404);
        assertThat(bridge.get("/api/v1/traces/not-a-trace-id").statusCode()).isEqualTo(400);
    }

    @Test
    void getFormTakesTheCommonFiltersAsParameters() {
        HttpResponse<String> response = bridge.get("/api/v1/query/logs?service=auth&level=Warn&limit=50&from="
                + enc(base.toString()) + "&to=" + enc(base.plusSeconds(3600).toString()));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(messages(Json.tree(response.body()))).isEqualTo(logs.stream()
                .filter(l -> service(l).equals("auth") && l.get("level").asText().equals("Warn"))
                .map(l -> l.get("message").asText()).toList());
        assertThat(bridge.get("/api/v1/query/logs?servce=auth").statusCode()).isEqualTo(400);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "filters[0].operator | {\"filters\": [{\"field\": \"level\", \"operator\": \"Like\", \"value\": {\"String\": \"x\"}}]}",
            "filters[0].value    | {\"filters\": [{\"field\": \"level\", \"operator\": \"GreaterThan\", \"value\": {\"Boolean\": true}}]}",
            "time_range          | {\"time_range\": {\"start\": \"2025-01-02T00:00:00Z\", \"end\": \"2025-01-01T00:00:00Z\"}}",
            "limit               | {\"limit\": 5000}",
            "limt                | {\"limt\": 5}"})
    void badQueriesAre400NamingTheField(String field, String body) {
        HttpResponse<String> response = bridge.post("/api/v1/query/logs", "application/json",
                body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.tree(response.body()).get("field").asText()).isEqualTo(field);
    }

    @Test
    void aRecordIsQueryableAsSoonAsItsWriteIsAcknowledged() {
        ObjectNode log = Json.MAPPER.createObjectNode();
        // Outside the range the other tests query, so that it does not change their answers.
        log.put("timestamp", base.minus(1, ChronoUnit.DAYS).toString());
        log.put("level", "Info");
        log.put("message", "just now " + System.nanoTime());
        log.putObject("attributes").put("service.name", "fresh");
        post("logs", List.of(log));

        JsonNode result = query("logs", "{\"service_name\": \"fresh\"}");

        assertThat(messages(result)).containsExactly(log.get("message").asText());
    }

    @Test
    void resultsAreTheSameAfterARestartAndOnASecondInstance() {
        String body = "{\"filters\": [{\"field\": \"message\", \"operator\": \"Contains\", \"value\": {\"String\": "
                + "\"failed\"}}], " + range(base, base.plusSeconds(3600)) + "}";
        List<String> before = messages(query("logs", body));

        try (RunningBridge second = RunningBridge.start(bridge.topicSettings())) {
            JsonNode again = Json.tree(second.post("/api/v1/query/logs", "application/json",
                    body.getBytes(StandardCharsets.UTF_8)).body());
            assertThat(messages(again)).isEqualTo(before);
        }
        assertThat(before).hasSize((int) logs.stream().filter(l -> l.get("message").asText().contains("failed")).count());
    }

    @Test
    void aTraceSentWithUpperCaseIdsIsOneTraceFoundByEitherCase() {
        String upper = "AB" + "0123456789ABCDEF0123456789ABCD";
        List<ObjectNode> spans = new ArrayList<>();
        for (String spanId : List.of("00000000000000A1", "00000000000000a2")) {
            ObjectNode span = Json.MAPPER.createObjectNode();
            span.put("trace_id", spanId.endsWith("1") ? upper : upper.toLowerCase(Locale.ROOT));
            span.put("span_id", spanId);
            span.put("name", "mixed case");
            span.put("kind", "Server");
            span.put("start_time", base.minus(2, ChronoUnit.DAYS).toString());
            span.putObject("status").put("code", "Ok");
            spans.add(span);
        }
        post("traces", spans);

        for (String id : List.of(upper, upper.toLowerCase(Locale.ROOT))) {
            JsonNode result = Json.tree(bridge.get("/api/v1/traces/" + id).body());
            List<String> ids = new ArrayList<>();
            result.get("data").forEach(sp -> ids.add(sp.get("span_id").asText()));
            assertThat(ids).as(id).containsExactlyInAnyOrder("00000000000000a1", "00000000000000a2");
        }
    }

    @Test
    void unknownPathsAre404AndWrongMethods405NamingTheAllowedOnes() {
        HttpResponse<String> unknown = bridge.get("/api/v1/nonexistent");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.tree(unknown.body()).get("status").asInt()).isEqualTo(404);

        HttpResponse<String> put = bridge.send(java.net.http.HttpRequest.newBuilder(
                bridge.uri("/api/v1/query/logs")).PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, POST");
        HttpResponse<String> post = bridge.post("/api/v1/traces/" + traces.keySet().iterator().next(),
                "application/json", new byte[0]);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void boundsBefore1970AreClampedNotErrors() {
        JsonNode before1970 = query("metrics", "{\"time_range\": {\"end\": \"1969-01-01T00:00:00Z\"}}");
        assertThat(before1970.get("data")).as(before1970.toString()).isEmpty();
        HttpResponse<String> all = bridge.get("/api/v1/query/metrics?from=-9223372036854775808&limit=1000");
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        assertThat(Json.tree(all.body()).get("data").size()).as(all.body().substring(0, Math.min(600, all.body().length()))).isGreaterThanOrEqualTo(metrics.size());
    }

    @Test
    void aParameterGivenTwiceAndACompressedQueryAreRefused() {
        HttpResponse<String> twice = bridge.get("/api/v1/query/metrics?name=a&name=b");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(Json.tree(twice.body()).get("field").asText()).isEqualTo("name");

        HttpResponse<String> gzip = bridge.send(java.net.http.HttpRequest.newBuilder(bridge.uri("/api/v1/query/logs"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(gzip.statusCode()).isEqualTo(415);
    }

    // --- helpers ---

    static void post(String signal, List<ObjectNode> items) {
        ObjectNode batch = Json.MAPPER.createObjectNode();
        batch.put("id", java.util.UUID.randomUUID().toString());
        batch.put("timestamp", Instant.now().toString());
        ArrayNode list = batch.putArray(signal);
        items.forEach(list::add);
        batch.putObject("metadata");
        HttpResponse<String> response = bridge.post("/api/v1/" + signal, "application/json",
                batch.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    static JsonNode query(String signal, String body) {
        HttpResponse<String> response = bridge.post("/api/v1/query/" + signal, "application/json",
                body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }

    static String range(Instant start, Instant end) {
        return "\"time_range\": {\"start\": \"" + start + "\", \"end\": \"" + end + "\"}";
    }

    static List<String> messages(JsonNode result) {
        List<String> out = new ArrayList<>();
        result.get("data").forEach(l -> out.add(l.get("message").asText()));
        return out;
    }

    static String service(ObjectNode log) {
        return log.get("attributes").get("service.name").asText();
    }

    static int n(ObjectNode log) {
        return Integer.parseInt(log.get("attributes").get("n").asText());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
