package io.mehery.gateway.delivery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.store.DeliveryAttemptRecord;
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
        return of(List.of(d)).get(0);
    }

    /**
     * The deliveries' views; whether a tenant's deliveries are paused is read once for the list, and the attempts of
     * the whole list with one query, not per row.
     */
    public List<DeliveryView> of(List<DeliveryRecord> listed) {
        Map<String, Boolean> paused = new HashMap<>();
        Map<String, List<DeliveryAttemptRecord>> attempts = deliveries.attempts(listed);
        return listed.stream().map(d -> view(d, d.status() == DeliveryRecord.Status.WAITING
                && paused.computeIfAbsent(d.tenantId(), this::paused), attempts.getOrDefault(d.id(), List.of())))
                .toList();
    }

    private DeliveryView view(DeliveryRecord d, boolean held, List<DeliveryAttemptRecord> attempts) {
        return new DeliveryView(d.id(), d.id(), d.tenantId(), d.kind(), held ? HELD : d.status().name(), d.messageId(),
                d.contactId(), d.sessionId(), d.occurredAt(), d.createdAt(), d.deliveredAt(), d.nextAttemptAt(),
                d.lastError(), payload(d), attempts.stream().map(DeliveryView.Attempt::of).toList());
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
