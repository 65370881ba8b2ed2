package io.mehery.gateway.store;

/**
 * One callback of one event to a tenant's webhook. {@code id} is its Standard Webhooks {@code webhook-id};
 * {@code attempts} counts every attempt (the last one claimed at {@code claimedAt} by the order
 * {@code claimedBy}), {@code roundStart} where the current round of the retry schedule began
 * (a replay or a resumed wait starts a new round); {@code thenDeliveryId} is released after this one's first try.
 */
public record DeliveryRecord(
        String id,
        String tenantId,
        String kind,
        String eventId,
        String messageId,
        String contactId,
        String sessionId,
        String actionCode,
        String thenDeliveryId,
        String payload,
        Status status,
        int attempts,
        int roundStart,
        Long nextAttemptAt,
        Long claimedAt,
        String claimedBy,
        String lastError,
        long occurredAt,
        long createdAt,
        Long deliveredAt,
        /** the order it was planned in among all callbacks (given by the database: null before it is stored) */
        Long seq) {

    public enum Status {
        /** on its way: an order for its next attempt is on the tenant's delivery queue */
        PENDING,
        /** the tenant has no (enabled) webhook; resumed when one is set */
        WAITING,
        DELIVERED,
        /** the whole retry schedule failed: a dead letter, until replayed */
        DEAD
    }

    /** The same new delivery, its first attempt claimed by order {@code orderId} as it is stored. */
    public DeliveryRecord claimedBy(String orderId, long now) {
        return new DeliveryRecord(id, tenantId, kind, eventId, messageId, contactId, sessionId, actionCode,
                thenDeliveryId, payload, Status.PENDING, attempts + 1, roundStart, nextAttemptAt, now, orderId,
                lastError, occurredAt, createdAt, deliveredAt, seq);
    }

    public int attemptsThisRound() {
        return attempts - roundStart;
    }
}
