package io.mehery.gateway.api.model;

/** What message/send answers: the message id and the session it joined. */
public record SendReceipt(String id, String sessionId) {
}
