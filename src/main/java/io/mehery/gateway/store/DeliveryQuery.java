package io.mehery.gateway.store;

/**
 * What a delivery search asks for, each part optional ({@code null}) but the tenant and the page size: deliveries of
 * the tenant, newest first, planned before {@code beforeSeq} (the cursor: the last one of the previous page).
 * {@code statusClass} is the class of the last attempt's HTTP status (2 to 5), 0 for an attempt with no answer.
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
        int limit) {

    public DeliveryQuery forTenant(String tenant) {
        return new DeliveryQuery(tenant, status, kind, createdFrom, createdTo, attemptedFrom, attemptedTo, messageId,
                contactId, webhookId, statusClass, beforeSeq, limit);
    }
}
