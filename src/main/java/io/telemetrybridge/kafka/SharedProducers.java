package io.telemetrybridge.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
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
 * them when the Camel context stops, after the routes, so records already accepted are flushed. Each producer's
 * own meters (send rate, errors, retries, buffer use, request latency) are bound to Micrometer.
 */
public final class SharedProducers extends ServiceSupport {

    private final Map<Properties, FailFastProducer> producers = new ConcurrentHashMap<>();
    private final Factory factory = new Factory();
    private final Supplier<MeterRegistry> registry;
    private final LastRecords last;
    private final ProducedRecords produced;
    private final List<KafkaClientMetrics> clientMetrics = new CopyOnWriteArrayList<>();

    /**
     * @param registry where each producer's Kafka client meters ({@code kafka_producer_*}) are bound
     * @param last     the last records of requests, sent without linger when a request is alone
     * @param produced where the producers tell of acknowledged records of watched topics
     */
    public SharedProducers(Supplier<MeterRegistry> registry, LastRecords last, ProducedRecords produced) {
        this.registry = registry;
        this.last = last;
        this.produced = produced;
    }

    /** The factory to set on the kafka component ({@code KafkaComponent#setKafkaClientFactory}). */
    public DefaultKafkaClientFactory factory() {
        return factory;
    }

    @Override
    protected void doStop() {
        clientMetrics.forEach(KafkaClientMetrics::close);
        clientMetrics.clear();
        producers.values().forEach(p -> p.shutdown(Duration.ofSeconds(10)));
        producers.clear();
    }

    private final class Factory extends DefaultKafkaClientFactory {
        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Producer getProducer(Properties kafkaProps) {
            ServiceHelper.startService(SharedProducers.this);
            Properties key = new Properties();
            key.putAll(kafkaProps);
            return producers.computeIfAbsent(key, k -> {
                KafkaProducer<Object, Object> producer = new KafkaProducer<>(k);
                KafkaClientMetrics meters = new KafkaClientMetrics(producer);
                meters.bindTo(registry.get());
                clientMetrics.add(meters);
                return new FailFastProducer(producer, last, produced);
            });
        }
    }
}
