package io.mehery.gateway.delivery;

/**
 * A tenant delivery queue's message: make attempt {@code attempt} of delivery {@code deliveryId}, not before
 * {@code notBefore} (epoch millis; the broker holds it until then). {@code replay} lets it revive a dead letter.
 * An order that more than one step may send for the same reason carries a {@code duplicateId}: the broker keeps
 * only the first order with it (Artemis duplicate detection), so re-sending after a crash never doubles a chain.
 */
public record DeliveryOrder(String deliveryId, String tenantId, int attempt, boolean replay, long notBefore,
        String duplicateId) {

    public DeliveryOrder {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1");
        }
    }

    /** The first attempt of a newly planned delivery, or of one released after its predecessor's first try. */
    static DeliveryOrder first(String deliveryId, String tenantId, long now) {
        return new DeliveryOrder(deliveryId, tenantId, 1, false, now, deliveryId + ":1");
    }

    /** The next attempt on the retry schedule, after attempt {@code attempt - 1} failed. */
    static DeliveryOrder retry(String deliveryId, String tenantId, int attempt, long at) {
        return new DeliveryOrder(deliveryId, tenantId, attempt, false, at, deliveryId + ":" + attempt);
    }

    /** An attempt asked for again on purpose: a resumed wait, a replay, a hold by the circuit breaker. */
    static DeliveryOrder again(String deliveryId, String tenantId, int attempt, boolean replay, long at) {
        return new DeliveryOrder(deliveryId, tenantId, attempt, replay, at, null);
    }
}
