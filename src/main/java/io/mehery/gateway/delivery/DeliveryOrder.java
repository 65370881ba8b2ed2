package io.mehery.gateway.delivery;

/**
 * A tenant delivery queue's message: make attempt {@code attempt} of delivery {@code deliveryId}, not before
 * {@code notBefore} (epoch millis; the broker holds it until then). {@code replay} lets it revive a dead letter.
 */
public record DeliveryOrder(String deliveryId, String tenantId, int attempt, boolean replay, long notBefore) {

    public DeliveryOrder {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1");
        }
    }
}
