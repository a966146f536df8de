package io.telemetrybridge.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * camel-kafka client factory that gives every Kafka endpoint with the same settings one shared producer.
 * Kafka producers are thread-safe and batch better when shared, and every route then sees the same view of
 * the cluster (see {@link FailFastProducer}). Endpoints cannot close a shared producer; this service closes
 * them when the Camel context stops, after the routes, so records already accepted are flushed.
 */
public final class SharedProducers extends ServiceSupport {

    private final Map<Properties, FailFastProducer> producers = new ConcurrentHashMap<>();
    private final Factory factory = new Factory();

    /** The factory to set on the kafka component ({@code KafkaComponent#setKafkaClientFactory}). */
    public DefaultKafkaClientFactory factory() {
        return factory;
    }

    @Override
    protected void doStop() {
        producers.values().forEach(p -> p.delegate().close(Duration.ofSeconds(10)));
        producers.clear();
    }

    private final class Factory extends DefaultKafkaClientFactory {
        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Producer getProducer(Properties kafkaProps) {
            ServiceHelper.startService(SharedProducers.this);
            Properties key = new Properties();
            key.putAll(kafkaProps);
            return producers.computeIfAbsent(key, k -> new FailFastProducer(new KafkaProducer<>(k)));
        }
    }
}
