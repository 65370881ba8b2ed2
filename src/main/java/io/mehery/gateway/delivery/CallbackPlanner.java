package io.mehery.gateway.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.camel.Body;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.mehery.gateway.conversation.InboundEvent;
import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.DeliveryStore;
import io.mehery.gateway.store.MessageStore;

/**
 * Turns an inbound event into its callbacks: contact/info first when the contact is new or its profile changed,
 * then message/receive, or action/event when the user chose an action. The ids derive from the event, so an event
 * the broker hands over twice plans the same deliveries once.
 */
@Component("callbackPlanner")
public class CallbackPlanner {

    private final DeliveryStore deliveries;
    private final MessageStore messages;
    private final Clock clock;

    public CallbackPlanner(DeliveryStore deliveries, MessageStore messages, Clock clock) {
        this.deliveries = deliveries;
        this.messages = messages;
        this.clock = clock;
    }

    /** Stores the event's deliveries; answers the orders for the first of them not yet under way. */
    @Transactional
    public List<DeliveryOrder> plan(@Body InboundEvent event) {
        if (messages.find(event.messageId()).isEmpty()) {
            return List.of(); // withdrawn: its hand-off failed after the event was queued, and the caller was told
        }
        long now = clock.millis();
        CallbackKind mainKind = event.actionCode() == null ? CallbackKind.MESSAGE_RECEIVE : CallbackKind.ACTION_EVENT;
        DeliveryRecord main = delivery(event, mainKind, null, now);
        List<DeliveryRecord> planned = new ArrayList<>();
        if (event.contactCreated() || event.contactRenamed()) {
            planned.add(delivery(event, CallbackKind.CONTACT_INFO, main.id(), now));
        }
        planned.add(main);
        planned.forEach(deliveries::insertIfAbsent);
        return deliveries.find(planned.get(0).id())
                .filter(first -> first.attempts() == 0 && first.status() != DeliveryRecord.Status.DELIVERED)
                .map(first -> List.of(DeliveryOrder.of(first.id(), first.tenantId(), 1, false, now)))
                .orElse(List.of());
    }

    /** The webhook-id of an event's callback of one kind: derived, so planning an event twice finds the first. */
    public static String webhookId(String eventId, CallbackKind kind) {
        return "msg_" + UUID.nameUUIDFromBytes((eventId + "/" + kind.code()).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }

    private static DeliveryRecord delivery(InboundEvent event, CallbackKind kind, String then, long now) {
        return new DeliveryRecord(webhookId(event.eventId(), kind), event.tenantId(), kind.code(), event.eventId(),
                event.messageId(), event.contactId(), event.sessionId(), event.actionCode(), then, null,
                DeliveryRecord.Status.PENDING, 0, 0, now, null, null, null, event.occurredAt(), now, null);
    }
}
