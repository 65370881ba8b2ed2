package io.mehery.gateway.analytics;

import java.util.List;

import io.mehery.gateway.api.model.DataEvent.EventLink;

/** What the analytics sink receives: the client's event with its tenant and when the gateway took it. */
public record AnalyticsEvent(String tenantId, String id, String eventName, List<EventLink> links,
        long receivedAt) {
}
