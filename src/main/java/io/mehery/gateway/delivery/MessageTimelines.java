package io.mehery.gateway.delivery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.TenantScope;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.store.DeliveryQuery;
import io.mehery.gateway.store.DeliveryStore;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStore;

/**
 * A message's timeline ({@code GET /api/v1/admin/messages/{id}/timeline}): accepted, the statuses it reached (a
 * send: sent when the provider took it, then delivered, read or failed with the provider's reason), and for each
 * callback planned for it, when it was planned and every attempt with its answer. A tenant's key reads its own
 * messages; the operator's key any configured tenant's.
 */
@Component("messageTimelines")
public class MessageTimelines {

    /** More callbacks than one message ever has (its own, its contact's, an action's). */
    private static final int CALLBACKS_READ = 50;

    private final MessageStore messages;
    private final DeliveryStore deliveries;
    private final DeliveryViews views;
    private final LiveConfiguration live;

    public MessageTimelines(MessageStore messages, DeliveryStore deliveries, DeliveryViews views,
            LiveConfiguration live) {
        this.messages = messages;
        this.deliveries = deliveries;
        this.views = views;
        this.live = live;
    }

    public MessageTimeline of(@ExchangeProperty(RouteProperties.TENANT) String caller,
            @Header("tenant") String tenant, @Header("id") String id) {
        List<String> readable = TenantScope.searched(caller, tenant, live.tenants().keySet());
        MessageRecord m = messages.find(id).filter(found -> readable.contains(found.tenantId())).orElseThrow(() ->
                ApiException.notFound("MESSAGE_NOT_FOUND", "id", "No message '" + id + "'"));
        List<MessageTimeline.Entry> timeline = new ArrayList<>();
        timeline.add(MessageTimeline.Entry.of(m.createdAt(), "accepted", null));
        for (MessageStore.Stamp stamp : messages.stampsOf(m.id())) {
            String status = stamp.status().toLowerCase(Locale.ROOT);
            timeline.add(MessageTimeline.Entry.of(stamp.at(), status, "failed".equals(status) ? m.failure() : null));
        }
        List<DeliveryView> callbacks = views.of(deliveries.search(DeliveryQuery.ofMessage(m.tenantId(), m.id(),
                CALLBACKS_READ)));
        for (DeliveryView callback : callbacks) {
            timeline.add(new MessageTimeline.Entry(callback.createdAt(), "callback.planned", callback.webhookId(),
                    callback.kind(), null, null, null, null, null, callback.status()));
            for (DeliveryView.Attempt a : callback.attempts()) {
                timeline.add(new MessageTimeline.Entry(a.attemptedAt(), "callback.attempt", callback.webhookId(),
                        callback.kind(), a.attempt(), a.statusCode(), a.latencyMs(), a.error(), a.instance(), null));
            }
        }
        timeline.sort(Comparator.comparingLong(MessageTimeline.Entry::at));
        return new MessageTimeline(m.id(), m.tenantId(), m.direction().name().toLowerCase(Locale.ROOT),
                m.channelId(), m.contactId(), m.sessionId(), m.type(), m.status(), timeline);
    }
}
