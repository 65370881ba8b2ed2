package io.mehery.gateway.broker;

import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import io.mehery.gateway.config.MeheryProperties;

/**
 * The embedded broker: the gateway's queues and address settings ({@link BrokerLayout}) from the start, and messages
 * beyond {@code mehery.queues.memory} waiting in the broker's paging files rather than in the heap (Artemis would
 * otherwise hold up to half the heap of queued messages). Persistence and the journal location are plain
 * spring.artemis.* keys. An external broker is set up by {@link ExternalBrokerSetup}.
 */
@Configuration
public class BrokerConfiguration {

    @Bean
    ArtemisConfigurationCustomizer meheryAddressSettings(BrokerLayout layout,
            @Value("${mehery.queues.memory:32MB}") DataSize memory, MeheryProperties properties) {
        return configuration -> {
            configuration.setGlobalMaxSize(memory.toBytes());
            layout.queues(properties).forEach(configuration::addQueueConfiguration);
            layout.topics().forEach(topic -> configuration.addAddressConfiguration(new CoreAddressConfiguration()
                    .setName(topic).addRoutingType(RoutingType.MULTICAST)));
            layout.addressSettings().forEach(configuration::addAddressSetting);
        };
    }
}
