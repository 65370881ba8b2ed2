package io.mehery.gateway.delivery;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.store.DeliveryStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Prometheus, per tenant: its callbacks still to make ({@code mehery.callbacks.backlog}) and the age of the oldest
 * ({@code mehery.callbacks.oldest.pending.age}, seconds; 0 when there is none), read from the store by the route
 * {@code measure-callback-backlogs} every few seconds rather than at each scrape. Every instance of a cluster reads
 * the same shared figures: take one instance's, not their sum.
 */
@Component("deliveryBacklogs")
public class DeliveryBacklogs {

    private final DeliveryStore deliveries;
    private final LiveConfiguration live;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Measured> measured = new ConcurrentHashMap<>();

    public DeliveryBacklogs(DeliveryStore deliveries, LiveConfiguration live, MeterRegistry registry, Clock clock) {
        this.deliveries = deliveries;
        this.live = live;
        this.registry = registry;
        this.clock = clock;
    }

    public void measure() {
        long now = clock.millis();
        for (String tenant : live.tenants().keySet()) {
            DeliveryStore.Backlog backlog = deliveries.backlog(tenant);
            Measured figures = measured.computeIfAbsent(tenant, this::register);
            figures.count = backlog.count();
            figures.oldestAgeSeconds = backlog.oldestCreatedAt() == null ? 0
                    : Math.max(0, now - backlog.oldestCreatedAt()) / 1000.0;
        }
    }

    private Measured register(String tenant) {
        Measured figures = new Measured();
        Gauge.builder("mehery.callbacks.backlog", figures, f -> f.count)
                .description("The tenant's callbacks still to make (pending or waiting)").tag("tenant", tenant)
                .register(registry);
        Gauge.builder("mehery.callbacks.oldest.pending.age", figures, f -> f.oldestAgeSeconds)
                .description("Seconds since the tenant's oldest callback still to make was planned")
                .tag("tenant", tenant).baseUnit("seconds").register(registry);
        return figures;
    }

    private static final class Measured {
        private volatile double count;
        private volatile double oldestAgeSeconds;
    }
}
