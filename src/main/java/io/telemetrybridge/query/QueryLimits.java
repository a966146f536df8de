package io.telemetrybridge.query;

/**
 * How many records one query may return: {@code defaultLimit} when the query gives no limit, at most
 * {@code maxLimit} per page, and {@code offset + limit} at most {@code maxResultWindow}, because every record
 * before the offset must still be read and matched.
 *
 * @throws IllegalArgumentException unless {@code 0 < defaultLimit <= maxLimit <= maxResultWindow}
 */
public record QueryLimits(int defaultLimit, int maxLimit, int maxResultWindow) {

    public QueryLimits {
        if (defaultLimit <= 0 || maxLimit <= 0 || maxResultWindow <= 0) {
            throw new IllegalArgumentException("query limits must be greater than 0, got defaultLimit=" + defaultLimit
                    + ", maxLimit=" + maxLimit + ", maxResultWindow=" + maxResultWindow);
        }
        if (defaultLimit > maxLimit || maxLimit > maxResultWindow) {
            throw new IllegalArgumentException("query limits must satisfy defaultLimit <= maxLimit <= "
                    + "maxResultWindow, got " + defaultLimit + ", " + maxLimit + ", " + maxResultWindow);
        }
    }
}
