package io.mehery.gateway.delivery;

import java.util.Map;

/** One attempt about to be made: the signed request for the webhook. */
public record CallbackAttempt(
        String deliveryId,
        String tenantId,
        CallbackKind kind,
        int attempt,
        String webhook,
        String url,
        String payload,
        Map<String, String> headers,
        long startedAt) {

    @Override
    public String toString() {
        return "CallbackAttempt[" + deliveryId + " #" + attempt + " " + kind.code() + "]";
    }
}
