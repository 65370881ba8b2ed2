package io.mehery.gateway.api.model;

/** What a sandbox user sends: one message of the spec's {@code messages[]} shape, with the sender. */
public record SandboxMessage(
        String id,
        String from,
        String name,
        MessageType type,
        Text text,
        Media audio,
        Media document,
        Media image,
        Media video,
        Media voice,
        Location location,
        UserAction action) implements MediaParts {

    /** A button, quick reply or postback the user chose: delivered as the action/event callback. */
    public record UserAction(String actionCode) {
    }
}
