package io.mehery.gateway.delivery;

import java.util.UUID;

/**
 * A tenant delivery queue's message: make attempt {@code attempt} of delivery {@code deliveryId}, not before
 * {@code notBefore} (epoch millis; the broker holds it until then). {@code replay} lets it revive a dead letter.
 * {@code orderId} tells this order from any other for the same attempt: only the order that claimed an attempt
 * may send on what follows it.
 */
public record DeliveryOrder(String deliveryId, String tenantId, int attempt, boolean replay, long notBefore,
        String orderId) {

    public DeliveryOrder {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1");
        }
    }

    static DeliveryOrder of(String deliveryId, String tenantId, int attempt, boolean replay, long notBefore) {
        return new DeliveryOrder(deliveryId, tenantId, attempt, replay, notBefore, UUID.randomUUID().toString());
    }

    /** The same order, later: its claim, if it made one, stays its own. */
    DeliveryOrder heldUntil(long at) {
        return new DeliveryOrder(deliveryId, tenantId, attempt, replay, at, orderId);
    }
}
