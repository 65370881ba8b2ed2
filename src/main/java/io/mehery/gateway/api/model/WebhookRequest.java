package io.mehery.gateway.api.model;

public record WebhookRequest(String url) {
}
