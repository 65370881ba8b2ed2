package io.mehery.gateway.delivery;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.DeliveryStore;
import io.mehery.gateway.store.WebhookStore;

/**
 * A stored delivery as the admin API shows it, with its payload as JSON and every attempt; a waiting callback of a
 * paused tenant shows as HELD.
 */
@Component
public class DeliveryViews {

    /** A waiting callback of a tenant whose deliveries are paused: it waits for the resume, not for a webhook. */
    static final String HELD = "HELD";

    private final DeliveryStore deliveries;
    private final WebhookStore webhooks;
    private final ObjectMapper json;

    public DeliveryViews(DeliveryStore deliveries, WebhookStore webhooks, ObjectMapper json) {
        this.deliveries = deliveries;
        this.webhooks = webhooks;
        this.json = json;
    }

    /** Whether the tenant's deliveries are paused now. */
    boolean paused(String tenantId) {
        return webhooks.current(tenantId).map(w -> w.pausedAt() != null).orElse(false);
    }

    public DeliveryView of(DeliveryRecord d) {
        String status = d.status() == DeliveryRecord.Status.WAITING && paused(d.tenantId()) ? HELD
                : d.status().name();
        return new DeliveryView(d.id(), d.tenantId(), d.kind(), status, d.messageId(), d.contactId(),
                d.sessionId(), d.occurredAt(), d.createdAt(), d.deliveredAt(), d.nextAttemptAt(), d.lastError(),
                payload(d), deliveries.attempts(d.id()).stream().map(DeliveryView.Attempt::of).toList());
    }

    private JsonNode payload(DeliveryRecord d) {
        if (d.payload() == null) {
            return null;
        }
        try {
            return json.readTree(d.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored payload of delivery " + d.id() + " is not JSON", e);
        }
    }
}
