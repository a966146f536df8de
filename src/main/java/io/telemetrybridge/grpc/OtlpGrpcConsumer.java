package io.telemetrybridge.grpc;

import io.telemetrybridge.model.ExchangeProperties;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.model.Source;
import io.telemetrybridge.otlp.OtlpRequests;
import java.util.function.Consumer;
import org.apache.camel.Endpoint;
import io.grpc.Metadata;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.support.DefaultConsumer;

/**
 * The {@code from: otlp-grpc:<signal>} end of an ingestion route: while the route runs, the gRPC server hands it
 * every {@code Export} call of its signal's service; when the route stops (shutdown, live reload) the server
 * answers those calls {@code UNAVAILABLE} with a retry delay instead.
 */
final class OtlpGrpcConsumer extends DefaultConsumer implements Suspendable {

    /** {@code telemetry.source} of records that came in over OTLP/gRPC. */

    private final Signal signal;
    private final OtlpGrpcServer server;

    OtlpGrpcConsumer(Endpoint endpoint, Processor processor, Signal signal, OtlpGrpcServer server) {
        super(endpoint, processor);
        this.signal = signal;
        this.server = server;
    }

    Signal signal() {
        return signal;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        server.attach(this);
    }

    @Override
    protected void doStop() throws Exception {
        server.detach(this);
        super.doStop();
    }

    /**
     * Camel's graceful shutdown (also of a live reload) suspends a {@link Suspendable} consumer and waits for its
     * exchanges before it stops the route. A consumer it stops at once takes the route's processors down with
     * it, and exchanges waiting for Kafka would never complete.
     */
    @Override
    protected void doSuspend() throws Exception {
        server.detach(this);
    }

    @Override
    protected void doResume() throws Exception {
        server.attach(this);
    }

    /**
     * Runs the route for one call. The exchange is what the OTLP/HTTP door would give for the same request in
     * protobuf: the message bytes as body, {@code Content-Type: application/x-protobuf}, the call's text
     * metadata as headers (never {@code authorization}; the read step keeps none of them unless a routing rule
     * copies them), and the tenant its token tells ({@link GrpcGuards#TENANT}).
     *
     * @param done called once the route finished, with the exchange holding the pipeline's answer
     */
    void export(byte[] message, String method, Consumer<Exchange> done) {
        Exchange exchange = createExchange(false);
        exchange.setProperty(ExchangeProperties.SIGNAL, signal);
        exchange.setProperty(ExchangeProperties.SOURCE, Source.OTLP_GRPC);
        exchange.setProperty(ExchangeProperties.GRPC_METHOD, method);
        String tenant = GrpcGuards.TENANT.get();
        if (tenant != null) {
            exchange.setProperty(ExchangeProperties.TENANT, tenant);
        }
        Metadata metadata = GrpcGuards.METADATA.get();
        if (metadata != null) {
            for (String key : metadata.keys()) {
                if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX) && !key.equals("authorization")) {
                    exchange.getMessage().setHeader(key, metadata.get(
                            Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER)));
                }
            }
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, OtlpRequests.PROTOBUF);
        exchange.getMessage().setBody(message);
        getAsyncProcessor().process(exchange, doneSync -> {
            try {
                done.accept(exchange);
            } finally {
                releaseExchange(exchange, false);
            }
        });
    }
}
