package io.mehery.gateway.delivery;

import java.util.List;

/**
 * What a delivery order leads to: an attempt to make now (or none), the orders to queue afterwards, and the order the
 * same consumer goes on with at once ({@code next}: the contact's next callback, due now, once this one is settled).
 */
public record DeliveryStep(CallbackAttempt attempt, List<DeliveryOrder> orders, DeliveryOrder next) {

    public static DeliveryStep nothing() {
        return new DeliveryStep(null, List.of(), null);
    }

    public static DeliveryStep onlyOrders(List<DeliveryOrder> orders) {
        return new DeliveryStep(null, orders, null);
    }
}
