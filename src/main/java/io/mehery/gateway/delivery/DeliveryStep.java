package io.mehery.gateway.delivery;

/**
 * What a delivery order leads to: an attempt to make now (or none), and the order the same consumer goes on with at
 * once ({@code next}: the contact's next callback, due now, once this one is settled). Orders for later went to the
 * outbox with the write that made them.
 */
public record DeliveryStep(CallbackAttempt attempt, DeliveryOrder next) {

    public static DeliveryStep nothing() {
        return new DeliveryStep(null, null);
    }
}
