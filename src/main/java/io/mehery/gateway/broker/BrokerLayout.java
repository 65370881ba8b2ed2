package io.mehery.gateway.broker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import io.mehery.gateway.config.MeheryProperties;

/**
 * What the gateway needs on its broker, embedded or external: its durable anycast queues (one per flow, one per
 * tenant's deliveries, the dead letters), the topics of the cluster, and for every {@code mehery.*} address a
 * redelivery policy (a consumer whose transaction rolls back gets the message again after a growing delay, and after
 * {@code mehery.queues.max-delivery-attempts} it moves to the dead-letter queue instead of spinning) and queues that
 * are never deleted for being idle. A tap that keeps failing leaves its copies in the taps' own dead-letter queue,
 * apart from the gateway's, each known by its tap's queue ({@code _AMQ_ORIG_ADDRESS}).
 */
@Component
public class BrokerLayout {

    private final String outboundQueue;
    private final String analyticsQueue;
    private final String deadLetterQueue;
    private final String deliveryQueue;
    private final String tapsQueue;
    private final String operationsQueue;
    private final int maxDeliveryAttempts;
    private final int tapDeliveryAttempts;
    private final List<String> topics;

    public BrokerLayout(@Value("${mehery.queues.outbound}") String outboundQueue,
            @Value("${mehery.queues.analytics}") String analyticsQueue,
            @Value("${mehery.queues.dead-letter}") String deadLetterQueue,
            @Value("${mehery.queues.delivery}") String deliveryQueue,
            @Value("${mehery.queues.taps}") String tapsQueue,
            @Value("${mehery.queues.operations}") String operationsQueue,
            @Value("${mehery.queues.max-delivery-attempts:10}") int maxDeliveryAttempts,
            @Value("${mehery.queues.tap-delivery-attempts:10}") int tapDeliveryAttempts,
            @Value("${mehery.cluster.configuration-topic}") String configurationTopic,
            @Value("${mehery.cluster.webchat-topic}") String webchatTopic,
            @Value("${mehery.cluster.breakers-topic}") String breakersTopic) {
        this.topics = List.of(configurationTopic, webchatTopic, breakersTopic);
        this.outboundQueue = outboundQueue;
        this.analyticsQueue = analyticsQueue;
        this.deadLetterQueue = deadLetterQueue;
        this.deliveryQueue = deliveryQueue;
        this.tapsQueue = tapsQueue;
        this.operationsQueue = operationsQueue;
        this.maxDeliveryAttempts = maxDeliveryAttempts;
        this.tapDeliveryAttempts = tapDeliveryAttempts;
    }

    /** The gateway's queues for a configuration: the flows', each tenant's deliveries, each tap's copies. */
    public List<QueueConfiguration> queues(MeheryProperties properties) {
        List<QueueConfiguration> queues = new ArrayList<>();
        for (String name : List.of(outboundQueue, analyticsQueue, deadLetterQueue, tapsQueue, tapsQueue + ".dead",
                operationsQueue)) {
            queues.add(queue(name));
        }
        properties.tenants().keySet().forEach(tenantId -> queues.add(queue(deliveryQueue + "." + tenantId)));
        properties.taps().keySet().forEach(tap -> queues.add(queue(tapsQueue + "." + tap)));
        return queues;
    }

    /**
     * The multicast addresses every instance subscribes to (a subscription of its own, gone with it): word for the
     * whole cluster, never kept.
     */
    public List<String> topics() {
        return topics;
    }

    /** The address settings by address match, the more specific last. */
    public Map<String, AddressSettings> addressSettings() {
        Map<String, AddressSettings> settings = new LinkedHashMap<>();
        settings.put("mehery.#", redelivery(deadLetterQueue, maxDeliveryAttempts)
                .setAutoCreateDeadLetterResources(false));
        settings.put(tapsQueue + ".#", redelivery(tapsQueue + ".dead", tapDeliveryAttempts));
        return settings;
    }

    private static AddressSettings redelivery(String deadLetters, int attempts) {
        return new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(deadLetters))
                .setMaxDeliveryAttempts(attempts)
                .setRedeliveryDelay(1_000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(60_000)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false);
    }

    private static QueueConfiguration queue(String name) {
        return QueueConfiguration.of(name).setAddress(name).setRoutingType(RoutingType.ANYCAST).setDurable(true);
    }
}
