package io.mehery.gateway.delivery;

import java.time.Duration;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Prometheus: callbacks delivered, retried and dead-lettered per tenant, and the lag from event to delivery. */
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
