package io.telemetrybridge.grpc;

import io.telemetrybridge.model.Signal;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness check {@code grpc} (not liveness): DOWN when the OTLP/gRPC server is not listening (not started yet,
 * or stopping). Its details name the port and the signals whose route takes calls now; a signal without a
 * running route is answered {@code UNAVAILABLE} (the {@code routes-reload} check says why a route is missing).
 * Registered only when {@code bridge.grpc.enabled} is true.
 */
public final class GrpcReadinessCheck extends AbstractHealthCheck {

    private final OtlpGrpcServer server;

    public GrpcReadinessCheck(OtlpGrpcServer server) {
        super("bridge", "grpc");
        this.server = server;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        int port = server.port();
        builder.detail("grpc.port", port);
        builder.detail("grpc.signals", server.routed().stream().map(Signal::id).sorted().toList().toString());
        if (port < 0 || !server.isStarted()) {
            builder.message("the OTLP/gRPC server is not listening").down();
        } else {
            builder.up();
        }
    }
}
