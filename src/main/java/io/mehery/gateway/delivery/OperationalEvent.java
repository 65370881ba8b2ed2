package io.mehery.gateway.delivery;

import java.util.Map;

/**
 * An operational event on its way to the operator's webhook: its {@code webhook-id}, and the Standard Webhooks
 * payload's {@code type}, {@code timestamp} (ISO-8601) and {@code data} (the tenant, the ids and the reason).
 */
public record OperationalEvent(String id, String type, String timestamp, Map<String, Object> data) {

    /** The signed body: what Standard Webhooks calls the payload. */
    Map<String, Object> payload() {
        return Map.of("type", type, "timestamp", timestamp, "data", data);
    }
}
