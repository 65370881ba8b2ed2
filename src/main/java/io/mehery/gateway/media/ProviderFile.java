package io.mehery.gateway.media;

/** A file as its provider served it. */
public record ProviderFile(byte[] bytes, String contentType) {
}
