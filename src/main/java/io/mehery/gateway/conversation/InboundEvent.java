package io.mehery.gateway.conversation;

/**
 * The inbound queue's message: a stored inbound message waiting for delivery to the client's webhook. It names
 * what to deliver rather than copying it, so the callback shows the contact as it is when delivered.
 */
public record InboundEvent(
        String eventId,
        String kind,
        String tenantId,
        String channelId,
        String messageId,
        String sessionId,
        String contactId,
        boolean contactCreated,
        boolean contactRenamed,
        String actionCode,
        long occurredAt) {

    public static final String MESSAGE_RECEIVED = "message.received";
}
