package io.mehery.gateway.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An image, audio, voice, video or document, sent by link or received with the provider's media id. */
public record Media(
        String caption,
        String filename,
        String id,
        String link,
        @JsonProperty("mime_type") String mimeType,
        String sha256) {
}
