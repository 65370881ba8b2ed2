package io.mehery.gateway.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Whether the broker takes a new connection now (health component {@code broker}, in the readiness group): Spring's
 * own {@code jms} indicator asks the caching connection factory, whose shared connection can look alive for a while
 * after the broker has gone. An instance whose broker is unreachable leaves the load balancer's rotation.
 */
@Component("broker")
public class BrokerHealth implements HealthIndicator {

    private final ConnectionFactory broker;

    public BrokerHealth(ConnectionFactory connectionFactory) {
        this.broker = connectionFactory instanceof CachingConnectionFactory caching
                && caching.getTargetConnectionFactory() != null ? caching.getTargetConnectionFactory()
                : connectionFactory;
    }

    @Override
    public Health health() {
        try (Connection connection = broker.createConnection()) {
            connection.start();
            return Health.up().build();
        } catch (Exception unreachable) {
            return Health.down().withDetail("error", unreachable.getClass().getSimpleName()).build();
        }
    }
}
