package io.telemetrybridge.model;

/**
 * Names of the exchange properties the ingestion steps, the front doors and the error beans share: the contract
 * between a route's steps, set by the first step (or the door) and read by the later ones.
 */
public final class ExchangeProperties {

    private ExchangeProperties() {}

    /** The {@link Signal} of the request or of the records in the body. */
    public static final String SIGNAL = "telemetrySignal";
    /** The {@link Source} of the request; set by a front door other than OTLP/HTTP before the route runs. */
    public static final String SOURCE = "telemetrySource";
    /** How many records the body holds (an {@code Integer}). */
    public static final String COUNT = "telemetryRecordCount";
    /** Whether an OTLP request (and so its answer) is OTLP/JSON rather than protobuf (a {@code Boolean}). */
    public static final String OTLP_JSON = "otlpJson";
    /** The gRPC method called (the gRPC door has no HTTP path), for dead letters. */
    public static final String GRPC_METHOD = "grpcMethod";
    /** The tenant the request's token maps to (String), set by the door that checked the token. */
    public static final String TENANT = "telemetryTenant";
}
