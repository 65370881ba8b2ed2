package io.mehery.gateway.api.model;

/** A message shape with one optional part per media type, of which {@link #type()} picks the one that counts. */
public interface MediaParts {

    MessageType type();

    Media audio();

    Media document();

    Media image();

    Media video();

    Media voice();

    /** The media part matching {@link #type()}, or null when the type is not a media type. */
    default Media media() {
        return switch (type()) {
            case AUDIO -> audio();
            case DOCUMENT -> document();
            case IMAGE -> image();
            case VIDEO -> video();
            case VOICE -> voice();
            default -> null;
        };
    }
}
