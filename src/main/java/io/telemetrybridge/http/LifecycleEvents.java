package io.telemetrybridge.http;

import org.apache.camel.support.EventNotifierSupport;

/** Settings shared by the front door's event notifiers. */
final class LifecycleEvents {

    private LifecycleEvents() {}

    /**
     * Turns off every exchange and step event for {@code notifier}: with them on, Camel would build several event
     * objects per exchange, and the front door listens to route and context events only.
     */
    static void withoutExchangeEvents(EventNotifierSupport notifier) {
        notifier.setIgnoreExchangeEvents(true);
        notifier.setIgnoreExchangeCreatedEvent(true);
        notifier.setIgnoreExchangeCompletedEvent(true);
        notifier.setIgnoreExchangeFailedEvents(true);
        notifier.setIgnoreExchangeRedeliveryEvents(true);
        notifier.setIgnoreExchangeSendingEvents(true);
        notifier.setIgnoreExchangeSentEvents(true);
        notifier.setIgnoreExchangeAsyncProcessingStartedEvents(true);
        notifier.setIgnoreStepEvents(true);
        notifier.setIgnoreServiceEvents(true);
    }
}
