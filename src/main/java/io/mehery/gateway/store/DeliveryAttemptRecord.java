package io.mehery.gateway.store;

/**
 * One try of a callback: when, where, what the webhook answered (or why there was no answer), how long it took, and
 * which instance of the gateway made it.
 */
public record DeliveryAttemptRecord(
        String deliveryId,
        int attempt,
        long attemptedAt,
        String url,
        Integer statusCode,
        long latencyMs,
        String error,
        String instanceId) {
}
