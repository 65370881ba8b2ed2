package io.mehery.gateway.store;

import java.util.Map;

/**
 * What one instance did in one interval of {@code intervalMillis} ending at a sample: messages accepted from users
 * and to send, callbacks delivered, attempts made and failed, dead letters, the delivered callbacks' lag by bucket,
 * the backlogs it saw at the end, the configuration version it ran, and per tenant its callbacks and failures.
 */
public record InstanceFigures(
        long intervalMillis,
        long accepted,
        long sent,
        long delivered,
        long attempts,
        long failedAttempts,
        long deadLettered,
        long[] lagCounts,
        long outboxBacklog,
        long callbackBacklog,
        long configVersion,
        Map<String, Tenant> tenants) {

    public InstanceFigures {
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
        lagCounts = lagCounts == null ? new long[0] : lagCounts.clone();
    }

    /** A tenant's callbacks in the interval: delivered, attempted, and attempts that failed. */
    public record Tenant(long delivered, long attempts, long failed) {
    }

    /** One instance's sample, as stored. */
    public record Sampled(String instanceId, long sampledAt, InstanceFigures figures) {
    }
}
