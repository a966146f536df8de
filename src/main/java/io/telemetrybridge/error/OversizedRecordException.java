package io.telemetrybridge.error;

/**
 * One item would make a Kafka record larger than Kafka accepts (the producer's {@code max.request.size} or the
 * topic's {@code max.message.bytes}): refused up front, before anything of its request or file is sent, since retrying can never help (HTTP 413).
 */
public class OversizedRecordException extends InvalidInputException {

    private final int recordBytes;
    private final int limitBytes;

    public OversizedRecordException(String field, int recordBytes, int limitBytes) {
        super(field, "the Kafka record would be " + recordBytes + " bytes, over the limit of " + limitBytes
                + " bytes (the smaller of camel.component.kafka.max-request-size and the topic's max.message.bytes)");
        this.recordBytes = recordBytes;
        this.limitBytes = limitBytes;
    }

    /** Size of the record the item would make, in bytes (Kafka's own estimate). */
    public int recordBytes() { return recordBytes; }

    /** The limit it is over, in bytes. */
    public int limitBytes() { return limitBytes; }
}
