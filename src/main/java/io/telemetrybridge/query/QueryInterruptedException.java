package io.telemetrybridge.query;

/**
 * Thrown from inside a filter when the scanning thread was interrupted while a regular expression was
 * running, so that a pattern with catastrophic backtracking can be stopped. The thread's interrupt flag is
 * left set. Unchecked, because it crosses {@link java.util.regex.Matcher}.
 */
public class QueryInterruptedException extends RuntimeException {

    public QueryInterruptedException(String message) {
        super(message);
    }
}
