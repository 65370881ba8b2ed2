package io.mehery.gateway.api.model;

import java.util.List;

/** The body of message/send. */
public record MessageSendRequest(
        String channelId,
        Boolean mask,
        Recipient to,
        MessageType type,
        Text text,
        Media audio,
        Media document,
        Media image,
        Media video,
        Media voice,
        Location location,
        List<ContactCard> contacts,
        Template template) implements MediaParts {

    public boolean masked() {
        return Boolean.TRUE.equals(mask);
    }
}
