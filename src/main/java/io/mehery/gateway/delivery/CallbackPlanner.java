package io.mehery.gateway.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.DeliveryStore;
import io.mehery.gateway.store.Outbox;
import io.mehery.gateway.store.WebhookStore;

/**
 * Turns an inbound event into its callbacks, in the transaction that stores the event: contact/info first when the
 * contact is new or its profile changed, then message/receive (its {@code actions} naming any action the user
 * chose), then action/event for that action; only contact/info for a contact that a message/send created. The
 * first of them is handed over to be made as soon as the write commits, claimed by that write, or, when the
 * tenant's deliveries under way are at their bound, its order goes to the outbox with them, in the contact's message
 * group: either way the callbacks exist, and are on their way, from the moment the event is accepted. The ids derive
 * from the event: the same for every attempt and replay.
 */
@Component("callbackPlanner")
public class CallbackPlanner {

    private final DeliveryStore deliveries;
    private final WebhookStore webhooks;
    private final Outbox outbox;
    private final CallbackHandOffs handOffs;
    private final String deliveryQueue;
    private final Clock clock;

    public CallbackPlanner(DeliveryStore deliveries, WebhookStore webhooks, Outbox outbox, CallbackHandOffs handOffs,
            @Value("${mehery.queues.delivery}") String deliveryQueue, Clock clock) {
        this.handOffs = handOffs;
        this.deliveries = deliveries;
        this.webhooks = webhooks;
        this.outbox = outbox;
        this.deliveryQueue = deliveryQueue;
        this.clock = clock;
    }

    /**
     * Stores the event's deliveries and sends the first of them on its way. A tenant with no webhook
     * gets them as waiting, with no order: config/webhook sends them on. Both run in the group commit's single
     * writer, so a webhook set at the same moment either is seen here or sees these deliveries waiting.
     */
    public void plan(InboundEvent event) {
        long now = clock.millis();
        boolean deliverable = webhooks.find(event.tenantId()).isPresent();
        // behind a callback of the contact still on its way, these wait for it: it orders the first of them once it
        // is settled, so no order goes round the queue only to be dropped
        boolean behindAnother = deliverable && deliveries.hasUndelivered(event.contactId());
        List<DeliveryRecord> planned = new ArrayList<>();
        if (InboundEvent.CONTACT_CREATED.equals(event.kind())) {
            planned.add(delivery(event, CallbackKind.CONTACT_INFO, null, deliverable, now));
        } else {
            DeliveryRecord action = event.actionCode() == null ? null
                    : delivery(event, CallbackKind.ACTION_EVENT, null, deliverable, now);
            DeliveryRecord message = delivery(event, CallbackKind.MESSAGE_RECEIVE, action == null ? null : action.id(),
                    deliverable, now);
            if (event.contactCreated() || event.contactRenamed()) {
                planned.add(delivery(event, CallbackKind.CONTACT_INFO, message.id(), deliverable, now));
            }
            planned.add(message);
            if (action != null) {
                planned.add(action);
            }
        }
        if (deliverable && !behindAnother) {
            DeliveryRecord first = planned.get(0);
            Optional<DeliveryOrder> handedOver = handOffs.handOver(first, now);
            if (handedOver.isPresent()) {
                planned.set(0, first.claimedBy(handedOver.get().orderId(), now));
            } else {
                outbox.add(deliveryQueue + "." + event.tenantId(),
                        DeliveryOrder.of(first.id(), event.tenantId(), 1, false, now), null, event.contactId());
            }
        }
        planned.forEach(deliveries::insert);
    }

    /** The webhook-id of an event's callback of one kind: derived, so planning an event twice finds the first. */
    public static String webhookId(String eventId, CallbackKind kind) {
        return "msg_" + UUID.nameUUIDFromBytes((eventId + "/" + kind.code()).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }

    private static DeliveryRecord delivery(InboundEvent event, CallbackKind kind, String then, boolean deliverable,
            long now) {
        return new DeliveryRecord(webhookId(event.eventId(), kind), event.tenantId(), kind.code(), event.eventId(),
                event.messageId(), event.contactId(), event.sessionId(), event.actionCode(), then, null,
                deliverable ? DeliveryRecord.Status.PENDING : DeliveryRecord.Status.WAITING, 0, 0,
                deliverable ? now : null, null, null, null, event.occurredAt(), now, null, null);
    }
}
