package io.mehery.gateway.api.model;

public record Text(String body, String type) {
}
