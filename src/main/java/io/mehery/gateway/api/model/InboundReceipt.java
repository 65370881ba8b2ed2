package io.mehery.gateway.api.model;

/** What an accepted inbound message answers. */
public record InboundReceipt(String id, String sessionId, String contactId) {
}
