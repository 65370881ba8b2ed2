package io.mehery.gateway.delivery;

import java.time.Duration;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Prometheus, per tenant: callbacks delivered, retried and dead-lettered, the lag from event to delivery, and each
 * attempt's latency by what the webhook answered ({@code outcome} 2xx to 5xx, or none: no answer), whose counts
 * are the tenant's error rate.
 */
@Component
public class DeliveryMetrics {

    private final MeterRegistry registry;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void delivered(String tenantId, CallbackKind kind, Duration lag) {
        counter("mehery.callbacks.delivered", tenantId, kind).increment();
        Timer.builder("mehery.callbacks.lag").description("From the event's arrival to its callback's delivery")
                .tag("tenant", tenantId).tag("kind", kind.code()).publishPercentileHistogram()
                .register(registry).record(lag);
    }

    void attempted(String tenantId, Integer status, long latencyMs) {
        Timer.builder("mehery.callbacks.attempts").description("A call to the tenant's webhook, by what it answered")
                .tag("tenant", tenantId).tag("outcome", status == null ? "none" : (status / 100) + "xx")
                .publishPercentileHistogram().register(registry).record(Duration.ofMillis(latencyMs));
    }

    void retried(String tenantId, CallbackKind kind) {
        counter("mehery.callbacks.retried", tenantId, kind).increment();
    }

    void deadLettered(String tenantId, CallbackKind kind) {
        counter("mehery.callbacks.dead.lettered", tenantId, kind).increment();
    }

    private Counter counter(String name, String tenantId, CallbackKind kind) {
        return Counter.builder(name).tag("tenant", tenantId).tag("kind", kind.code()).register(registry);
    }
}
