package io.telemetrybridge.grpc;

import com.google.rpc.Code;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.telemetrybridge.http.BearerTokens;
import io.telemetrybridge.http.InFlightBound;
import io.telemetrybridge.model.Signal;
import io.telemetrybridge.observe.BridgeMeters;

/**
 * What a gRPC call meets before its message is read, in this order (as over HTTP): the ingestion tokens
 * ({@code authorization: Bearer <token>} metadata; {@code UNAUTHENTICATED} otherwise), then the in-flight bound
 * shared with HTTP ({@code RESOURCE_EXHAUSTED} with {@code google.rpc.RetryInfo} past it, which the OTLP
 * specification makes retryable). A refused call takes no slot and its message is never decoded. The message's
 * bytes are reserved once grpc-java has read it ({@link Slot#reserve}), refused the same way past the bytes bound.
 */
final class GrpcGuards {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** The tenant the call's token tells, while the call runs. */
    static final Context.Key<String> TENANT = Context.key("telemetry-bridge-tenant");
    /** The call's metadata, while the call runs (for the routing rules' header allow-list). */
    static final Context.Key<Metadata> METADATA = Context.key("telemetry-bridge-metadata");

    private final BearerTokens tokens;
    private final InFlightBound inFlight;
    private final int retryAfterSeconds;
    private final BridgeMeters meters;

    /** @param tokens the ingestion tokens, or null when ingestion is open */
    GrpcGuards(BearerTokens tokens, InFlightBound inFlight, int retryAfterSeconds, BridgeMeters meters) {
        this.tokens = tokens;
        this.inFlight = inFlight;
        this.retryAfterSeconds = retryAfterSeconds;
        this.meters = meters;
    }

    /** For {@code ServerInterceptors.intercept}, which calls the last one first: tokens, then the bound. */
    ServerInterceptor[] interceptors(Signal signal) {
        return new ServerInterceptor[] {bound(signal), tokens(signal)};
    }

    private ServerInterceptor tokens(Signal signal) {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                    ServerCallHandler<Q, A> next) {
                String presented = tokens == null ? null : BearerTokens.bearer(headers.get(AUTHORIZATION));
                if (tokens == null || tokens.accepts(presented)) {
                    Context context = Context.current().withValue(METADATA, headers);
                    String tenant = tokens == null ? null : tokens.tenant(presented);
                    if (tenant != null) {
                        context = context.withValue(TENANT, tenant);
                    }
                    return Contexts.interceptCall(context, call, headers, next);
                }
                return refuse(call, signal, GrpcAnswers.error(Code.UNAUTHENTICATED, presented == null
                        ? "this service needs a token: metadata authorization: Bearer <token>"
                        : tokens.refusal(presented), null));
            }
        };
    }

    private ServerInterceptor bound(Signal signal) {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                    ServerCallHandler<Q, A> next) {
                if (!inFlight.tryAcquire()) {
                    return refuse(call, signal, GrpcAnswers.error(Code.RESOURCE_EXHAUSTED, "the bridge is handling "
                            + inFlight.limit() + " requests already (bridge.http.max-in-flight-requests, shared by "
                            + "HTTP and gRPC); retry after " + retryAfterSeconds + " s", retryAfterSeconds));
                }
                Slot slot = new Slot(inFlight);
                try {
                    ServerCall.Listener<Q> listener = Contexts.interceptCall(Context.current().withValue(Slot.KEY, slot),
                            call, headers, next);
                    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<Q>(listener) {
                        @Override
                        public void onComplete() {
                            try {
                                super.onComplete();
                            } finally {
                                slot.release();
                            }
                        }

                        @Override
                        public void onCancel() {
                            try {
                                super.onCancel();
                            } finally {
                                slot.release();
                            }
                        }
                    };
                } catch (RuntimeException e) {
                    slot.release();
                    throw e;
                }
            }
        };
    }

    /**
     * One call's place in the in-flight bound, held by the call and, while it runs, by the route it went to: a
     * call the client gave up on (deadline passed) keeps its place until the route finished with it, so clients
     * with short deadlines cannot pile up work past the bound.
     */
    static final class Slot {
        static final Context.Key<Slot> KEY = Context.key("telemetry-bridge-in-flight-slot");

        private final InFlightBound bound;
        private int holders = 1;
        private InFlightBound.Reservation bytes;

        Slot(InFlightBound bound) {
            this.bound = bound;
        }

        /**
         * Reserves the message's bytes (grpc-java has read and inflated it) until the slot is given back;
         * {@code false} when they do not fit in {@code bridge.http.max-in-flight-bytes} now.
         */
        synchronized boolean reserve(long n) {
            bytes = bound.tryReserve(n);
            return bytes != null;
        }

        /** The route starts on the call; {@code false} when the call already ended. */
        synchronized boolean hold() {
            if (holders == 0) {
                return false;
            }
            holders++;
            return true;
        }

        synchronized void release() {
            if (holders > 0 && --holders == 0) {
                if (bytes != null) {
                    bytes.close();
                }
                bound.release();
            }
        }
    }

    private <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Signal signal, StatusRuntimeException e) {
        meters.grpcRequest(signal, e.getStatus().getCode().name());
        call.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
        return new ServerCall.Listener<>() { };
    }
}
