package io.mehery.gateway.config;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Redelivery policy of the embedded broker: a consumer whose transaction rolls back gets the message again
 * after a growing delay, and after {@code mehery.queues.max-delivery-attempts} it moves to the dead-letter
 * queue instead of spinning. Messages beyond {@code mehery.queues.memory} wait in the broker's paging files
 * rather than in the heap (Artemis would otherwise hold up to half the heap of queued messages). Persistence
 * and the journal location are plain spring.artemis.* keys.
 */
@Configuration
public class BrokerConfiguration {

    @Bean
    ArtemisConfigurationCustomizer meheryAddressSettings(
            @Value("${mehery.queues.dead-letter}") String deadLetterQueue,
            @Value("${mehery.queues.max-delivery-attempts:10}") int maxDeliveryAttempts,
            @Value("${mehery.queues.delivery}") String deliveryQueue,
            @Value("${mehery.queues.memory:32MB}") DataSize memory,
            @Value("${mehery.queues.taps}") String tapsQueue,
            @Value("${mehery.queues.tap-delivery-attempts:10}") int tapDeliveryAttempts, MeheryProperties properties) {
        return configuration -> {
            configuration.setGlobalMaxSize(memory.toBytes());
            // each tenant's delivery queue exists from the start, durable, never auto-deleted while it holds orders
            properties.tenants().keySet().forEach(tenantId -> configuration.addQueueConfiguration(
                    QueueConfiguration.of(deliveryQueue + "." + tenantId).setRoutingType(RoutingType.ANYCAST)
                            .setDurable(true)));
            configuration.addAddressSetting("mehery.#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(deadLetterQueue))
                .setMaxDeliveryAttempts(maxDeliveryAttempts)
                .setRedeliveryDelay(1_000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(60_000)
                .setAutoCreateDeadLetterResources(false));
            // a tap that keeps failing leaves its copies in the taps' dead-letter queue, apart from the gateway's
            // own, each known by its tap's queue (_AMQ_ORIG_ADDRESS)
            configuration.addQueueConfiguration(QueueConfiguration.of(tapsQueue + ".dead")
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true));
            configuration.addAddressSetting(tapsQueue + ".#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(tapsQueue + ".dead"))
                .setMaxDeliveryAttempts(tapDeliveryAttempts)
                .setRedeliveryDelay(1_000)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(60_000));
        };
    }
}
