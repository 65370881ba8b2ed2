package io.mehery.gateway.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An action the user chose (a button, quick reply or postback): the spec's {@code actionCode}. As the body of the
 * action/event callback it also names what the client needs to act on it, the contact, the session and the message
 * that carried the action, and when; as an entry of message/receive's {@code actions} the code alone.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Action(String actionCode, Contact contact, String sessionId, String messageId, Long timestamp) {

    public static Action of(String actionCode) {
        return new Action(actionCode, null, null, null, null);
    }
}
