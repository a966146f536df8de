package io.telemetrybridge.spool;

import java.util.concurrent.CompletableFuture;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorHelper;

/**
 * The spool as the Kafka endpoints' producers use it ({@link SpoolEndpoints}): a processor without a life cycle of
 * its own, so that stopping an endpoint's producer leaves the {@link Spool} (a context service) running.
 */
public final class SpoolStep implements AsyncProcessor {

    private final Spool spool;

    SpoolStep(Spool spool) {
        this.spool = spool;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        return spool.process(exchange, callback);
    }

    @Override
    public CompletableFuture<Exchange> processAsync(Exchange exchange) {
        CompletableFuture<Exchange> done = new CompletableFuture<>();
        process(exchange, doneSync -> done.complete(exchange));
        return done;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        AsyncProcessorHelper.process(this, exchange);
    }
}
