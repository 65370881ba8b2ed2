package io.mehery.gateway.delivery;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Prometheus, per tenant: callbacks delivered, retried and dead-lettered, the lag from event to delivery, and each
 * attempt's latency by what the webhook answered ({@code outcome} 2xx to 5xx, or none: no answer), whose counts
 * are the tenant's error rate. The lag is also counted in a few fixed buckets over all tenants, which the console's
 * overview adds up across the instances of a cluster (Prometheus' buckets are per tenant and kind).
 */
@Component
public class DeliveryMetrics {

    /** The upper bounds of the lag's buckets, in milliseconds; one more bucket counts the lags above the last. */
    public static final long[] LAG_BOUNDS_MILLIS = {5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
        60_000, 300_000};

    private final MeterRegistry registry;
    private final AtomicLongArray lagCounts = new AtomicLongArray(LAG_BOUNDS_MILLIS.length + 1);

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The callbacks delivered since this instance started, by lag bucket ({@link #LAG_BOUNDS_MILLIS}). */
    public long[] lagCounts() {
        long[] counts = new long[lagCounts.length()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = lagCounts.get(i);
        }
        return counts;
    }

    void delivered(String tenantId, CallbackKind kind, Duration lag) {
        counter("mehery.callbacks.delivered", tenantId, kind).increment();
        long millis = lag.toMillis();
        int bucket = 0;
        while (bucket < LAG_BOUNDS_MILLIS.length && millis > LAG_BOUNDS_MILLIS[bucket]) {
            bucket++;
        }
        lagCounts.incrementAndGet(bucket);
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
