package io.mehery.gateway.delivery;

/**
 * A stored inbound message as the callbacks it owes the client see it. It names what to deliver rather than
 * copying it, so a callback shows the contact as it is when delivered.
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
    /** A message/send reached a user the gateway did not know: the client learns the new contact (contact/info). */
    public static final String CONTACT_CREATED = "contact.created";
}
