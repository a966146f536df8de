package io.telemetrybridge.codec;

/**
 * One item would make a Kafka record larger than the producer accepts ({@code max.request.size}): refused up
 * front, before anything of its request or file is sent, since retrying can never help (HTTP 413).
 */
public class OversizedRecordException extends InvalidInputException {

    public OversizedRecordException(String field, int recordBytes, int limitBytes) {
        super(field, "the Kafka record would be " + recordBytes + " bytes, over the limit of " + limitBytes
                + " bytes (the smaller of camel.component.kafka.max-request-size and the topic's max.message.bytes)");
    }
}
