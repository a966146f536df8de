package io.telemetrybridge.grpc;

import io.telemetrybridge.model.Signal;
import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Camel component {@code otlp-grpc}: endpoint {@code otlp-grpc:traces}, {@code otlp-grpc:metrics} or
 * {@code otlp-grpc:logs} is the {@code Export} service of that signal on the bridge's one gRPC server
 * ({@link OtlpGrpcServer}). It can only be a route's {@code from}; an unknown signal stops the route with the
 * list of known ones. camel-grpc is not used: it starts one server per route, where OTLP needs the three
 * services on one port, and it answers errors in its own way rather than with the OTLP statuses.
 */
public final class OtlpGrpcComponent extends DefaultComponent {

    /** The component's scheme, as routes write it. */
    public static final String SCHEME = "otlp-grpc";

    private final OtlpGrpcServer server;

    public OtlpGrpcComponent(OtlpGrpcServer server) {
        this.server = server;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        Signal signal;
        try {
            signal = Signal.of(remaining);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(uri + ": " + e.getMessage(), e);
        }
        return new ExportEndpoint(uri, this, signal);
    }

    private final class ExportEndpoint extends DefaultEndpoint {
        private final Signal signal;

        ExportEndpoint(String uri, OtlpGrpcComponent component, Signal signal) {
            super(uri, component);
            this.signal = signal;
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException(getEndpointUri() + " receives OTLP/gRPC calls: use it as a "
                    + "route's from, not in to");
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            OtlpGrpcConsumer consumer = new OtlpGrpcConsumer(this, processor, signal, server);
            configureConsumer(consumer);
            return consumer;
        }
    }
}
