package io.telemetrybridge.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.telemetrybridge.support.KafkaBroker;
import io.telemetrybridge.support.RunningBridge;
import io.telemetrybridge.support.TestCertificates;
import io.telemetrybridge.support.Topics;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OTLP/gRPC over TLS with the HTTPS certificate ({@code bridge.grpc.tls.enabled}): the Java SDK trusting the
 * CA exports spans; a plaintext client and a client that does not trust the certificate get nowhere.
 */
@ExtendWith(KafkaBroker.class)
class GrpcTlsTest {

    @Test
    void tlsClientsTrustingTheCaExportAndOthersAreRefused() throws Exception {
        TestCertificates certs = TestCertificates.create();
        try (RunningBridge bridge = RunningBridge.start(Map.of("bridge.grpc.tls.enabled", "true",
                "bridge.http.tls.certificate-path", certs.httpsCertificatePem().toString(),
                "bridge.http.tls.key-path", certs.httpsKeyPem().toString()))) {
            String traceId;
            try (SdkTracerProvider tracer = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(
                    OtlpGrpcSpanExporter.builder().setEndpoint("https://localhost:" + bridge.grpcPort())
                            .setTrustedCertificates(Files.readAllBytes(certs.caPem())).build())).build()) {
                var span = tracer.get("tls").spanBuilder("over-tls").startSpan();
                traceId = span.getSpanContext().getTraceId();
                span.end();
                assertThat(tracer.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            }
            assertThat(Topics.readAll(bridge.topic("traces"))).anySatisfy(r -> assertThat(r.key()).isEqualTo(traceId));

            ManagedChannel trusting = NettyChannelBuilder.forAddress("localhost", bridge.grpcPort())
                    .sslContext(GrpcSslContexts.forClient().trustManager(certs.caPem().toFile()).build()).build();
            ManagedChannel untrusting = NettyChannelBuilder.forAddress("localhost", bridge.grpcPort())
                    .sslContext(GrpcSslContexts.forClient().trustManager(certs.otherCaPem().toFile()).build()).build();
            ManagedChannel plaintext = NettyChannelBuilder.forAddress("localhost", bridge.grpcPort()).usePlaintext()
                    .build();
            try {
                HealthCheckRequest any = HealthCheckRequest.getDefaultInstance();
                assertThat(HealthGrpc.newBlockingStub(trusting).withDeadlineAfter(5, TimeUnit.SECONDS).check(any)
                        .getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
                for (ManagedChannel refused : new ManagedChannel[] {untrusting, plaintext}) {
                    try {
                        HealthGrpc.newBlockingStub(refused).withDeadlineAfter(5, TimeUnit.SECONDS).check(any);
                        throw new AssertionError("a call without a trusted TLS connection was answered");
                    } catch (StatusRuntimeException expected) {
                        assertThat(expected.getStatus().getCode()).isIn(io.grpc.Status.Code.UNAVAILABLE,
                                io.grpc.Status.Code.INTERNAL, io.grpc.Status.Code.DEADLINE_EXCEEDED);
                    }
                }
            } finally {
                trusting.shutdownNow();
                untrusting.shutdownNow();
                plaintext.shutdownNow();
            }
        }
    }
}
