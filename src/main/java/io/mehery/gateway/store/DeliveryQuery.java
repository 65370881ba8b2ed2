package io.mehery.gateway.store;

/**
 * What a delivery search asks for, each part optional ({@code null}) but the tenant and the page size: deliveries of
 * the tenant, newest first, after the cursor (the last one of the previous page: its {@code seq} and when it was
 * planned). {@code statusClass} is the class of the last attempt's HTTP status (2 to 5), 0 for an attempt with no
 * answer.
 */
public record DeliveryQuery(
        String tenantId,
        String status,
        String kind,
        Long createdFrom,
        Long createdTo,
        Long attemptedFrom,
        Long attemptedTo,
        String messageId,
        String contactId,
        String webhookId,
        Integer statusClass,
        Long beforeSeq,
        Long beforeCreatedAt,
        int limit) {

    /** Every callback of one message of the tenant, newest first, at most {@code limit}. */
    public static DeliveryQuery ofMessage(String tenantId, String messageId, int limit) {
        return new DeliveryQuery(tenantId, null, null, null, null, null, null, messageId, null, null, null, null, null,
                limit);
    }

    public DeliveryQuery forTenant(String tenant) {
        return new DeliveryQuery(tenant, status, kind, createdFrom, createdTo, attemptedFrom, attemptedTo, messageId,
                contactId, webhookId, statusClass, beforeSeq, beforeCreatedAt, limit);
    }

    /** A delivery, a message's or a contact's: a few rows found by their own index. */
    boolean findsFew() {
        return webhookId != null || contactId != null || messageId != null;
    }

    /**
     * Newest first by when each was planned (then by seq), not by seq alone: a window of creation is read that way,
     * as one range of its index.
     */
    public boolean byCreation() {
        return (createdFrom != null || createdTo != null) && statusClass == null && !findsFew();
    }
}
