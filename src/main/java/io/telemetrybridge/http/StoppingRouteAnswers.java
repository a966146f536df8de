package io.telemetrybridge.http;

import com.google.rpc.Code;
import io.telemetrybridge.codec.MediaTypes;
import io.telemetrybridge.model.ExchangeProperties;
import io.telemetrybridge.otlp.OtlpRequests;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;

/**
 * The answer to a request that platform-http handed to a route just as a live reload (or a shutdown) stopped it:
 * the route's error handler is stopped too, so it refuses the exchange with a {@link RejectedExecutionException}
 * that no {@code onException} sees, and platform-http would write a 500 with an empty {@code text/plain} body
 * (which {@link FallbackAnswers} can only turn into a bare 503). Here, before platform-http writes it, the exchange
 * becomes the 503 with {@code Retry-After} and the protocol's body that {@link FallbackAnswers} gives while the
 * route is away: a {@code google.rpc.Status} UNAVAILABLE on the OTLP paths (protobuf when the request was), the
 * {@link ErrorBody} elsewhere. Records the route may already have sent reach Kafka twice when the client retries
 * (at-least-once, docs/delivery.md).
 * <p>
 * A policy of every route (a {@link RoutePolicyFactory}), stateless, so Camel runs it while the route stops.
 */
public final class StoppingRouteAnswers implements RoutePolicy, RoutePolicyFactory {

    private final int retryAfterSeconds;

    public StoppingRouteAnswers(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        return this;
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        if (!(exchange.getException() instanceof RejectedExecutionException)
                || !(exchange.getFromEndpoint() instanceof PlatformHttpEndpoint endpoint)) {
            return;
        }
        String path = endpoint.getPath();
        String message = "the route serving " + path + " is being reloaded or stopped; retry after "
                + retryAfterSeconds + " s";
        boolean otlp = path.startsWith("/v1/");
        // The request's encoding: as the OTLP step read it, else from the request's headers (still there when the
        // first step was refused).
        Boolean json = exchange.getProperty(ExchangeProperties.OTLP_JSON, Boolean.class);
        boolean protobuf = otlp && (json != null ? !json
                : MediaTypes.matches(exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class),
                        OtlpRequests.PROTOBUF));
        exchange.setException(null);
        HttpAnswer.write(exchange, 503, RpcStatus.contentType(protobuf),
                otlp ? RpcStatus.body(Code.UNAVAILABLE, message, protobuf) : ErrorBody.of(503, message).json());
        exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    @Override
    public void onInit(Route route) {
    }

    @Override
    public void onRemove(Route route) {
    }

    @Override
    public void onStart(Route route) {
    }

    @Override
    public void onStop(Route route) {
    }

    @Override
    public void onSuspend(Route route) {
    }

    @Override
    public void onResume(Route route) {
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
    }
}
