package io.mehery.gateway.delivery;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.store.DeliveryAttemptRecord;

/** A delivery as the admin API shows it: the callback, where it stands, and every attempt. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeliveryView(
        String id,
        String webhookId,
        String tenantId,
        String kind,
        String status,
        String messageId,
        String contactId,
        String sessionId,
        long occurredAt,
        long createdAt,
        Long deliveredAt,
        Long nextAttemptAt,
        String lastError,
        JsonNode payload,
        List<Attempt> attempts) {

    public record Attempt(int attempt, long attemptedAt, String url, Integer statusCode, long latencyMs,
            String error, String instance) {

        static Attempt of(DeliveryAttemptRecord a) {
            return new Attempt(a.attempt(), a.attemptedAt(), a.url(), a.statusCode(), a.latencyMs(), a.error(),
                    a.instanceId());
        }
    }
}
