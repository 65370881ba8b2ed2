package io.mehery.gateway.delivery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.mehery.gateway.config.MeheryProperties;

/**
 * A circuit breaker per tenant webhook: once it fails often enough, deliveries to it are held for a while instead
 * of spending attempts on it, then one probe decides whether it is back. Its state is per process.
 */
@Component
public class WebhookBreakers {

    private final CircuitBreakerRegistry registry;
    private final Duration openFor;

    public WebhookBreakers(MeheryProperties properties) {
        MeheryProperties.Breaker breaker = properties.delivery().breaker();
        this.openFor = breaker.openFor();
        this.registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(breaker.failureRateThreshold())
                .minimumNumberOfCalls(breaker.minimumCalls())
                .slidingWindowSize(breaker.window())
                .waitDurationInOpenState(breaker.openFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
    }

    /** Whether an attempt to the tenant's webhook may go now; when it may, its outcome must be reported. */
    public boolean permits(String tenantId) {
        return breaker(tenantId).tryAcquirePermission();
    }

    /** How long to hold a delivery the breaker did not let through. */
    public Duration holdFor() {
        return openFor;
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
        return registry.circuitBreaker("webhook-" + tenantId);
    }
}
