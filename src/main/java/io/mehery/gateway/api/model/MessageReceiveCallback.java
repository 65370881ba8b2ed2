package io.mehery.gateway.api.model;

import java.util.List;

/** The body of the message/receive callback. */
public record MessageReceiveCallback(List<Action> actions, List<Contact> contacts, List<ReceivedMessage> messages) {
}
