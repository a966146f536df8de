package io.telemetrybridge.deadletter;

import java.nio.file.Path;

/**
 * How dead letters are kept ({@code bridge.dlq.*}; docs/dead-letters.md), validated at start-up. The topic is
 * {@code bridge.topics.dlq}.
 *
 * @param maxPayloadBytes largest payload kept in a dead letter, bytes; longer ones are cut
 * @param folder          where dead letters go when the dead-letter topic cannot be written
 */
public record DeadLetterSettings(int maxPayloadBytes, Path folder) {}
