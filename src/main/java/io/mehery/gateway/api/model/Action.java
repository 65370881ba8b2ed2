package io.mehery.gateway.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of the action/event callback: the spec's {@code actionCode}, and what the client needs to act on it,
 * the contact, the session and the message that carried the action.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Action(String actionCode, Contact contact, String sessionId, String messageId, long timestamp) {
}
