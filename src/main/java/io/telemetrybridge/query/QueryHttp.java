package io.telemetrybridge.query;

import io.telemetrybridge.error.QueryRejectedException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.telemetrybridge.error.InvalidInputException;
import io.telemetrybridge.codec.MediaTypes;
import io.telemetrybridge.error.UnsupportedMediaTypeException;
import io.telemetrybridge.model.Signal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import io.telemetrybridge.http.HttpAnswer;
import io.telemetrybridge.http.Tenants;
import org.apache.camel.Exchange;

/**
 * Route steps of the query API (docs/queries.md): {@code POST /api/v1/query/{metrics,traces,logs}} with the
 * seed's {@code MetricsQuery}, {@code TracesQuery}, {@code LogsQuery}; the {@code GET} forms of the same paths
 * with query-string parameters; and {@code GET /api/v1/traces/{traceId}}. Only the query string and the body are
 * read: no other request header reaches the query.
 */
public final class QueryHttp {

    private final QueryParser parser;
    private final QueryService service;
    private final ObjectMapper mapper;
    private final int maxLimit;

    public QueryHttp(QueryParser parser, QueryService service, ObjectMapper mapper, int maxLimit) {
        this.parser = parser;
        this.service = service;
        this.mapper = mapper;
        this.maxLimit = maxLimit;
    }

    /**
     * Answers a query of {@code signal}: the JSON body of a POST, or the query string of a GET.
     *
     * @throws InvalidInputException          for a query that cannot run as written (400)
     * @throws io.telemetrybridge.error.UnsupportedMediaTypeException for a POST body not declared JSON (415)
     * @throws QueryRejectedException         when the bridge or Kafka cannot answer now (429 / 503)
     */
    public void query(Exchange exchange, String signal) throws Exception {
        Signal s = Signal.of(signal);
        QuerySpec spec;
        if ("GET".equals(exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class))) {
            spec = parser.fromParameters(s, parameters(exchange));
        } else {
            MediaTypes.require(MediaTypes.header(exchange.getMessage(), Exchange.CONTENT_TYPE), MediaTypes.JSON);
            String coding = MediaTypes.header(exchange.getMessage(), "Content-Encoding");
            if (coding != null && !coding.isBlank() && !coding.trim().equalsIgnoreCase("identity")) {
                throw UnsupportedMediaTypeException.contentEncoding(coding, "identity (queries are small)");
            }
            byte[] body = exchange.getMessage().getBody(byte[].class);
            if (body == null || body.length == 0) {
                throw new InvalidInputException("", "empty request body: expected a " + queryName(s));
            }
            spec = parser.parse(s, body);
        }
        answer(exchange, 200, service.run(spec, Tenants.of(exchange)));
    }

    /**
     * {@code GET /api/v1/traces/{traceId}}: every span of the trace in start-time order (up to
     * {@code bridge.query.max-limit}), as a {@code TracesResult}; 404 when no span of it is found. Optional
     * parameters {@code from}, {@code to} and {@code limit} as in the GET query form.
     */
    public void trace(Exchange exchange) throws Exception {
        Map<String, String> parameters = parameters(exchange);
        if (parameters.containsKey("trace_id")) {
            throw new InvalidInputException("trace_id", "the trace id is the last part of the path, not a parameter");
        }
        parameters.put("trace_id", exchange.getMessage().getHeader("traceId", "", String.class));
        parameters.putIfAbsent("limit", String.valueOf(maxLimit));
        ObjectNode result = service.run(parser.fromParameters(Signal.TRACES, parameters), Tenants.of(exchange));
        long matched = result.path("metadata").path("total_matches").asLong();
        int returned = result.path("data").size();
        int offset = Integer.parseInt(parameters.getOrDefault("offset", "0"));
        if (matched > offset + returned) {
            // A trace larger than one page: say so rather than answer Success with part of it.
            result.put("status", "Partial");
            result.withArray("errors").addObject().put("code", "truncated").put("message", "the trace has "
                    + matched + " spans; " + returned + " returned from offset " + offset
                    + "; ask for the next page with offset and limit");
        }
        boolean notFound = returned == 0 && matched == 0 && "Success".equals(result.path("status").asText());
        answer(exchange, notFound ? 404 : 200, result);
    }

    private void answer(Exchange exchange, int status, ObjectNode result) throws Exception {
        HttpAnswer.write(exchange, status, "application/json", mapper.writeValueAsBytes(result));
    }

    /** The query string's parameters, each at most once; request headers are not parameters. */
    private static Map<String, String> parameters(Exchange exchange) {
        Map<String, String> out = new LinkedHashMap<>();
        String query = exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        if (query == null) {
            query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        }
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (out.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1))) != null) {
                throw new InvalidInputException(name, "given more than once");
            }
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("", "malformed query string: " + e.getMessage());
        }
    }

    private static String queryName(Signal s) {
        return switch (s) {
            case METRICS -> "MetricsQuery";
            case TRACES -> "TracesQuery";
            case LOGS -> "LogsQuery";
        };
    }
}
