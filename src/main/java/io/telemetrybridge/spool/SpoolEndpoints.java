package io.telemetrybridge.spool;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Predicate;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.spi.EndpointStrategy;
import org.apache.camel.spi.InterceptSendToEndpoint;
import org.apache.camel.support.PluginHelper;

/**
 * Puts the spool in front of the Kafka endpoints, once for the whole context (registered when
 * {@code bridge.spool.enabled}; docs/delivery.md, "Spool"). Each {@code kafka:} endpoint but the dead-letter
 * topic's becomes an intercepting endpoint whose producer hands a request's records to the spool instead of
 * camel-kafka's producer, except for exchanges that come from a file drop: a file waits in its inbox until Kafka
 * takes it, so it needs no spool.
 * <p>
 * Why not the route DSL's {@code interceptSendToEndpoint}: Camel registers that per route, and the first route
 * to register it decorates the shared endpoint with its own processors (and error handler). When that route is
 * replaced by a reload, every other route sending to the same topic meets stopped processors (500s). Here the
 * step has no route, so a send's errors reach the sending route's own error handling, as camel-kafka's do.
 */
public final class SpoolEndpoints implements EndpointStrategy {

    private final CamelContext context;
    private final SpoolStep step;
    private final String deadLetterTopic;

    /**
     * @param deadLetterTopic the dead-letter topic ({@code bridge.topics.dlq}), left to camel-kafka: a dead letter
     *                        Kafka cannot take goes to the local dead-letter folder (docs/delivery.md)
     */
    public SpoolEndpoints(CamelContext context, Spool spool, String deadLetterTopic) {
        this.context = context;
        this.step = spool.step();
        this.deadLetterTopic = deadLetterTopic;
    }

    @Override
    public Endpoint registerEndpoint(String uri, Endpoint endpoint) {
        if (endpoint instanceof InterceptSendToEndpoint || !uri.startsWith("kafka:")
                || Spool.topic(uri).equals(deadLetterTopic)) {
            return endpoint;
        }
        return PluginHelper.getInterceptEndpointFactory(context)
                .createInterceptSendToEndpoint(context, endpoint, true, SpoolEndpoints::spooled, step, null);
    }

    /**
     * Whether the spool takes this send. Camel's intercepting producer reads the answer from the exchange property
     * it sets: false sends to camel-kafka's producer as without a spool.
     */
    private static boolean spooled(Exchange exchange) {
        boolean spooled = !(exchange.getFromEndpoint() instanceof GenericFileEndpoint<?>);
        exchange.setProperty(ExchangePropertyKey.INTERCEPT_SEND_TO_ENDPOINT_WHEN_MATCHED, spooled);
        return spooled;
    }
}
