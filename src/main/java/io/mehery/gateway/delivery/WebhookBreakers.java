package io.mehery.gateway.delivery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;

/**
 * A circuit breaker per tenant webhook: once it fails often enough, deliveries to it are held for a while instead
 * of spending attempts on it, then one probe decides whether it is back. Its state is per process; new settings
 * (mehery.delivery.breaker, changed on a running gateway) start every breaker anew, closed.
 */
@Component
public class WebhookBreakers implements LiveConfiguration.Listener {

    /** The breakers of one setting; a changed setting starts new ones, closed. */
    private record Breakers(CircuitBreakerRegistry registry, Duration openFor) {

        static Breakers of(MeheryProperties.Breaker breaker) {
            return new Breakers(CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                    .failureRateThreshold(breaker.failureRateThreshold())
                    .minimumNumberOfCalls(breaker.minimumCalls())
                    .slidingWindowSize(breaker.window())
                    .waitDurationInOpenState(breaker.openFor())
                    .permittedNumberOfCallsInHalfOpenState(1)
                    .automaticTransitionFromOpenToHalfOpenEnabled(false)
                    .build()), breaker.openFor());
        }
    }

    private volatile Breakers breakers;

    public WebhookBreakers(MeheryProperties properties) {
        this.breakers = Breakers.of(properties.delivery().breaker());
    }

    @Override
    public void changed(MeheryProperties previous, MeheryProperties next) {
        if (!previous.delivery().breaker().equals(next.delivery().breaker())) {
            breakers = Breakers.of(next.delivery().breaker());
        }
    }

    /** Whether an attempt to the tenant's webhook may go now; when it may, its outcome must be reported. */
    public boolean permits(String tenantId) {
        return breaker(tenantId).tryAcquirePermission();
    }

    /** How long to hold a delivery the breaker did not let through. */
    public Duration holdFor() {
        return breakers.openFor();
    }

    /** Gives back a permission that was not used for a call. */
    public void release(String tenantId) {
        breaker(tenantId).releasePermission();
    }

    public void succeeded(String tenantId, long latencyMs) {
        breaker(tenantId).onSuccess(latencyMs, TimeUnit.MILLISECONDS);
    }

    public void failed(String tenantId, long latencyMs, Throwable why) {
        breaker(tenantId).onError(latencyMs, TimeUnit.MILLISECONDS, why);
    }

    public CircuitBreaker.State state(String tenantId) {
        return breaker(tenantId).getState();
    }

    private CircuitBreaker breaker(String tenantId) {
        return breakers.registry().circuitBreaker("webhook-" + tenantId);
    }
}
