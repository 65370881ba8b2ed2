package io.mehery.gateway.delivery;

import java.util.List;

/** What a delivery order leads to: an attempt to make now (or none), and the orders to queue afterwards. */
public record DeliveryStep(CallbackAttempt attempt, List<DeliveryOrder> orders) {

    public static DeliveryStep nothing() {
        return new DeliveryStep(null, List.of());
    }

    public static DeliveryStep onlyOrders(List<DeliveryOrder> orders) {
        return new DeliveryStep(null, orders);
    }
}
