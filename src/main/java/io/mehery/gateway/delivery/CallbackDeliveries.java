package io.mehery.gateway.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.Refusal;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.ContactProfileUpdate;
import io.mehery.gateway.config.ClusterInstance;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.mapping.Mappings;
import io.mehery.gateway.security.WebhookTargets;
import io.mehery.gateway.store.ContactStore;
import io.mehery.gateway.store.DeliveryAttemptRecord;
import io.mehery.gateway.store.DeliveryRecord.Status;
import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.DeliveryStore;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStore;
import io.mehery.gateway.store.Outbox;
import io.mehery.gateway.store.WebhookStore;
import io.mehery.gateway.tap.TapData;
import io.mehery.gateway.tap.Taps;

/**
 * The policy of callback delivery, one order at a time: whether to make the attempt an order asks for, the signed
 * request for it, and what follows from its outcome (delivered, retried on the schedule, held by 410 Gone, or a
 * dead letter). The store is the truth about each delivery; an order that no longer matches it is dropped, so a
 * duplicated or replayed order never makes a second attempt of the same number.
 */
@Component("callbackDeliveries")
public class CallbackDeliveries implements LiveConfiguration.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackDeliveries.class);
    private static final int STALLED_BATCH = 500;
    /** Waiting callbacks resumed a write at a time. */
    private static final int WAITING_PAGE = 1000;
    /** A contact's callbacks one consumer makes in a row before it queues the next. */
    static final int CHAIN_PER_TURN = 16;

    private final DeliveryStore deliveries;
    private final WebhookStore webhooks;
    private final ContactStore contacts;
    private final CallbackPayloads payloads;
    private final WebhookBreakers breakers;
    private final DeliveryMetrics metrics;
    private final MeheryProperties properties;
    private final LiveConfiguration live;
    private volatile RetrySchedule schedule;
    /** How long an attempt can take at most, timeout included: a claim older than this was abandoned. */
    private final Duration claimLease;
    private final Clock clock;
    private final ObjectMapper json;
    private final GroupCommit commits;
    private final Taps taps;
    private final Mappings mappings;
    private final MessageStore messages;
    private final Outbox outbox;
    private final String deliveryQueue;
    private final ClusterInstance instance;
    private final OperationalEvents events;

    public CallbackDeliveries(DeliveryStore deliveries, WebhookStore webhooks, ContactStore contacts,
            CallbackPayloads payloads, WebhookBreakers breakers, DeliveryMetrics metrics, MeheryProperties properties,
            LiveConfiguration live, Clock clock, ObjectMapper json, GroupCommit commits, Taps taps, Mappings mappings,
            MessageStore messages, Outbox outbox, @Value("${mehery.queues.delivery}") String deliveryQueue,
            ClusterInstance instance, OperationalEvents events) {
        this.instance = instance;
        this.events = events;
        this.outbox = outbox;
        this.deliveryQueue = deliveryQueue;
        this.taps = taps;
        this.mappings = mappings;
        this.messages = messages;
        this.deliveries = deliveries;
        this.webhooks = webhooks;
        this.contacts = contacts;
        this.payloads = payloads;
        this.breakers = breakers;
        this.metrics = metrics;
        this.properties = properties;
        this.live = live;
        this.schedule = new RetrySchedule(properties.delivery());
        this.claimLease = properties.delivery().timeout().multipliedBy(2).plusSeconds(5);
        this.clock = clock;
        this.json = json;
        this.commits = commits;
    }

    /** A new retry schedule applies from each delivery's next attempt on. */
    @Override
    public void changed(MeheryProperties previous, MeheryProperties next) {
        if (!previous.delivery().equals(next.delivery())) {
            schedule = new RetrySchedule(next.delivery());
        }
    }

    /**
     * An order for an attempt already claimed is either the claimer's own (claimed for it with the write that settled
     * the contact's callback before, or handed over again because its consumer died: it makes the attempt, or, if
     * the attempt was recorded, sends on what followed it), or another order for the same attempt (a second resume
     * or replay): that one waits until the claim is older than an attempt can take, and makes the attempt only if
     * it was never recorded.
     */
    public DeliveryStep prepare(@Body DeliveryOrder order) {
        Optional<DeliveryRecord> found = deliveries.find(order.deliveryId());
        if (found.isEmpty()) {
            return DeliveryStep.nothing();
        }
        DeliveryRecord d = found.get();
        long now = clock.millis();
        boolean claimed = d.attempts() == order.attempt();
        boolean own = claimed && order.orderId().equals(d.claimedBy());
        // an order handed over again after its attempt was recorded (its consumer died before the broker committed
        // taking it) sends on the callback that follows; any other order for a recorded attempt has nothing to do
        if (d.status() == Status.DELIVERED || claimed && deliveries.attemptRecorded(d, order.attempt())) {
            if (own) {
                queue(followUps(d));
            }
            return DeliveryStep.nothing();
        }
        boolean abandoned = claimed && d.status() == Status.PENDING && d.claimedAt() != null;
        if (abandoned && !own) {
            long leaseEnds = d.claimedAt() + claimLease.toMillis();
            if (leaseEnds > now) {
                queue(List.of(order.heldUntil(leaseEnds)));
                return DeliveryStep.nothing();
            }
            if (!commits.write(() -> deliveries.takeOverClaim(d.id(), order.attempt(), d.claimedBy(), order.orderId(),
                    now))) {
                return DeliveryStep.nothing();
            }
        }
        boolean current = d.attempts() == order.attempt() - 1 && (d.status() != Status.DEAD || order.replay());
        if (!abandoned && !current) {
            return DeliveryStep.nothing();
        }
        Optional<String> webhook = webhooks.find(d.tenantId());
        if (webhook.isEmpty()) {
            commits.run(() -> {
                deliveries.markWaiting(d.id(), now);
                addToOutbox(d.attempts() == 0 ? successor(d, now) : List.of());
            });
            return DeliveryStep.nothing();
        }
        // a contact's callbacks reach the webhook in the order they were planned: one behind an earlier callback
        // still on its way is left to it (it sends the next on once delivered or dead; a retry holds back the later
        // callbacks of its contact only), rather than going round the queue until its turn
        if (d.attempts() == 0 && deliveries.hasEarlierUndelivered(d)) {
            return DeliveryStep.nothing();
        }
        if (!breakers.permits(d.tenantId())) {
            return hold(d, order, now + breakers.holdFor().toMillis());
        }
        String payload = payloadOf(d);
        if (!abandoned && !commits.write(() -> deliveries.claimAttempt(d.id(), d.attempts(), order.replay(), payload,
                order.orderId(), now))) {
            breakers.release(d.tenantId());
            return DeliveryStep.nothing();
        }
        return attempt(d, order, webhook.get(), payload, now);
    }

    /** The signed request for an attempt claimed by {@code order}, once its webhook target is seen to be allowed. */
    private DeliveryStep attempt(DeliveryRecord d, DeliveryOrder order, String webhook, String payload, long now) {
        CallbackKind kind = CallbackKind.of(d.kind());
        CallbackAttempt attempt = new CallbackAttempt(d.id(), d.tenantId(), kind, order.attempt(), webhook,
                webhook + kind.path(), payload, signedHeaders(d, payload, now), now);
        try {
            WebhookTargets.check(attempt.url(), properties.webhooks().allowPrivateTargets());
        } catch (Refusal refused) {
            return finish(attempt, null, "webhook target refused: " + refused.description(), null, null,
                    CHAIN_PER_TURN);
        }
        return new DeliveryStep(attempt, null);
    }

    /** The order again, held back until {@code at}; the delivery says so, so that it is not taken for stalled. */
    private DeliveryStep hold(DeliveryRecord d, DeliveryOrder order, long at) {
        commits.run(() -> {
            deliveries.heldUntil(d.id(), at);
            addToOutbox(List.of(order.heldUntil(at)));
        });
        return DeliveryStep.nothing();
    }

    /**
     * Puts the orders on their tenants' queues: through the outbox, in one write, moved to the broker in batches
     * (each held there until its time).
     */
    public void queue(@Body List<DeliveryOrder> orders) {
        if (!orders.isEmpty()) {
            commits.run(() -> addToOutbox(orders));
        }
    }

    /** Inside a write: the orders leave with it, or not at all. */
    private void addToOutbox(List<DeliveryOrder> orders) {
        orders.forEach(order -> outbox.add(deliveryQueue + "." + order.tenantId(), order, order.notBefore()));
    }

    /**
     * Orders for the pending callbacks nothing is making: those whose order went missing (due for longer than
     * {@code mehery.delivery.recover-after} and never claimed since), and the attempts claimed by a consumer that
     * never recorded their outcome (the process died during the call; taken over once the claim's lease ran out).
     * An order that was only late finds its attempt made, and is dropped.
     */
    public List<DeliveryOrder> stalled() {
        long now = clock.millis();
        long recoverAfter = live.current().delivery().recoverAfter().toMillis();
        List<DeliveryOrder> orders = new ArrayList<>();
        for (DeliveryRecord d : deliveries.stalled(now - recoverAfter, now - claimLease.toMillis(), STALLED_BATCH)) {
            orders.add(DeliveryOrder.of(d.id(), d.tenantId(), attemptToOrder(d), false, now));
        }
        if (!orders.isEmpty()) {
            LOG.warn("{} callbacks had no order on its way or a claim abandoned for over {} s: sent on again",
                    orders.size(), claimLease.toSeconds());
        }
        return orders;
    }

    /**
     * Records the outcome of the HTTP call just made (the orders for later leave with it), and answers, once the
     * callback is settled, the contact's next callback to go on with at once when it is due (at most
     * {@value #CHAIN_PER_TURN} in a row, so that one chatty contact does not keep its tenant's places; past that its
     * order is queued): its attempt, when the write that recorded this outcome claimed it, else its order.
     */
    public DeliveryStep complete(@ExchangeProperty(RouteProperties.CALLBACK_ATTEMPT) CallbackAttempt attempt,
            Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer status = failure == null ? exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)
                : null;
        String error = failure != null ? describe(failure)
                : status == null || status / 100 != 2 ? "HTTP " + status : null;
        int chained = exchange.getProperty(RouteProperties.CALLBACK_CHAIN, 0, Integer.class);
        exchange.setProperty(RouteProperties.CALLBACK_CHAIN, chained + 1);
        return finish(attempt, status, error, exchange.getMessage().getHeader("Retry-After", String.class),
                error == null ? exchange.getMessage().getBody(String.class) : null, chained);
    }

    /**
     * The contact's next callback, once the one before it is settled: made at once by the same consumer when it is
     * due and the consumer has not made {@value #CHAIN_PER_TURN} in a row, else queued.
     */
    private DeliveryStep settled(Optional<DeliveryOrder> next, int chained) {
        if (next.isEmpty()) {
            return DeliveryStep.nothing();
        }
        if (next.get().notBefore() <= clock.millis() && chained < CHAIN_PER_TURN) {
            return new DeliveryStep(null, next.get());
        }
        queue(List.of(next.get()));
        return DeliveryStep.nothing();
    }

    /**
     * Records the attempt's outcome, a retry's order in the same write; answers, once the callback is settled
     * (delivered or dead), the contact's next one that waited behind it (the event's next callback among them), the
     * {@code chained}th in a row. When that one is known before the write and can go at once, the same write claims
     * its attempt (one write a callback, not two), and it is answered ready to make; otherwise it is looked for after
     * the write committed, so that a callback planned meanwhile is either seen here or saw this one settled and was
     * given its own order.
     */
    private DeliveryStep finish(CallbackAttempt attempt, Integer status, String error, String retryAfter,
            String answer, int chained) {
        long now = clock.millis();
        long latency = Math.max(0, now - attempt.startedAt());
        DeliveryRecord d = deliveries.find(attempt.deliveryId()).orElseThrow();
        var record = new DeliveryAttemptRecord(d.id(), attempt.attempt(), attempt.startedAt(), attempt.url(), status,
                latency, error == null ? null : truncate(error), instance.id());
        metrics.attempted(d.tenantId(), status, latency);
        Status outcome;
        Long retryAt = null;
        if (error == null) {
            outcome = Status.DELIVERED;
            breakers.succeeded(d.tenantId(), latency);
        } else if (status != null && status == 410) {
            outcome = Status.WAITING;
            breakers.succeeded(d.tenantId(), latency);
        } else {
            reportToBreaker(d.tenantId(), status, latency, error);
            Duration askedFor = status != null && (status == 429 || status == 503)
                    ? RetrySchedule.parseRetryAfter(retryAfter, clock.instant()) : null;
            Optional<Duration> wait = schedule.waitBefore(d.attemptsThisRound(), askedFor);
            outcome = wait.isPresent() ? Status.PENDING : Status.DEAD;
            retryAt = wait.map(w -> now + w.toMillis()).orElse(null);
        }
        boolean settled = outcome == Status.DELIVERED || outcome == Status.DEAD;
        // the contact/info answer merged into the contact shows in the next callback: it is made after that write
        boolean claimNext = settled && chained < CHAIN_PER_TURN && attempt.kind() != CallbackKind.CONTACT_INFO;
        Optional<NextAttempt> next = claimNext ? nextToClaim(d, now) : Optional.empty();
        Long nextAttemptAt = retryAt;
        // the tags the first attempt sent are kept with the message, in the same write: the history shows them
        Optional<String> sentTags = attempt.attempt() == 1 && attempt.kind() == CallbackKind.MESSAGE_RECEIVE
                ? payloads.tagsIn(attempt.payload()) : Optional.empty();
        boolean nextClaimed = commits.write(() -> {
            recordAttempt(d, attempt, record, outcome, nextAttemptAt, outcome == Status.DELIVERED ? now : null);
            sentTags.ifPresent(tags -> messages.tag(d.messageId(), tags));
            if (outcome == Status.DELIVERED && attempt.kind() == CallbackKind.CONTACT_INFO) {
                mergeProfile(d.contactId(), answer, now);
            } else if (outcome == Status.WAITING) {
                if (webhooks.disable(d.tenantId(), attempt.webhook(), now)) {
                    events.publish(Taps.WEBHOOK_DISABLED, d.tenantId(), TapData.of("url", attempt.webhook(),
                            "reason", "The webhook answered 410 Gone: callbacks wait until it is set again",
                            "webhookId", d.id()));
                }
                // the event's next callback finds the webhook gone, and waits too
                addToOutbox(attempt.attempt() == 1 ? successor(d, now) : List.of());
            } else if (outcome == Status.PENDING) {
                addToOutbox(List.of(DeliveryOrder.of(d.id(), d.tenantId(), attempt.attempt() + 1, false,
                        nextAttemptAt)));
            }
            return next.isPresent() && deliveries.claimAttempt(next.get().order().deliveryId(), 0, false,
                    next.get().payload(), next.get().order().orderId(), now);
        });
        switch (outcome) {
            case DELIVERED -> metrics.delivered(d.tenantId(), attempt.kind(),
                    Duration.ofMillis(Math.max(0, now - d.occurredAt())));
            case WAITING -> LOG.warn("Webhook of tenant {} answered 410 Gone: disabled until it is set again",
                    d.tenantId());
            case PENDING -> metrics.retried(d.tenantId(), attempt.kind());
            case DEAD -> {
                metrics.deadLettered(d.tenantId(), attempt.kind());
                LOG.warn("Callback {} to tenant {} is a dead letter after {} attempts: {}", d.id(), d.tenantId(),
                        attempt.attempt(), record.error());
            }
        }
        if (!settled) {
            return DeliveryStep.nothing();
        }
        if (next.isPresent()) {
            // claimed here: made now, as its order's claim; not claimed: another order has it
            return nextClaimed ? claimed(next.get(), now) : DeliveryStep.nothing();
        }
        return settled(nextOfContact(d, now), chained);
    }

    /**
     * The first attempt of a callback that the write accepting its event claimed for {@code order} and handed over
     * at once ({@link CallbackHandOffs}): made now, or held while the breaker is open. Nothing if the claim is no
     * longer that order's, or the webhook went meanwhile (the claim is then taken over once its lease runs out, and
     * the callback waits for a webhook).
     */
    public DeliveryStep handedOver(@Body DeliveryOrder order) {
        return deliveries.find(order.deliveryId())
                .filter(d -> order.orderId().equals(d.claimedBy()) && d.attempts() == order.attempt()
                        && d.status() == Status.PENDING)
                .flatMap(d -> webhooks.find(d.tenantId()).map(webhook -> claimed(new NextAttempt(d, order, webhook,
                        payloadOf(d)), clock.millis())))
                .orElseGet(DeliveryStep::nothing);
    }

    /** The contact's next callback, claimed by {@code order} in the write that settles the one before it. */
    private record NextAttempt(DeliveryRecord delivery, DeliveryOrder order, String webhook, String payload) {
    }

    /** The attempt of a callback claimed with the write before: made now, or held while the breaker is open. */
    private DeliveryStep claimed(NextAttempt next, long now) {
        DeliveryRecord d = next.delivery();
        if (!breakers.permits(d.tenantId())) {
            return hold(d, next.order(), now + breakers.holdFor().toMillis());
        }
        return attempt(d, next.order(), next.webhook(), next.payload(), now);
    }

    /**
     * The contact's next callback when it can be claimed with the write that settles this one: a first attempt (of one
     * pending, or that waited for the webhook), due now, to a tenant with a webhook; its payload made now, as its
     * claim stores it.
     */
    private Optional<NextAttempt> nextToClaim(DeliveryRecord settling, long now) {
        return deliveries.nextPendingOfContact(settling)
                .filter(next -> next.attempts() == 0 && (next.nextAttemptAt() == null || next.nextAttemptAt() <= now))
                .flatMap(next -> webhooks.find(next.tenantId()).map(webhook -> new NextAttempt(next,
                        DeliveryOrder.of(next.id(), next.tenantId(), 1, false, now), webhook, payloadOf(next))));
    }

    /** Mapped before it is signed and stored: every attempt of this webhook-id sends the same. */
    private String payloadOf(DeliveryRecord d) {
        return d.payload() != null ? d.payload() : mappings.callback(d.tenantId(), () -> channelOf(d),
                CallbackKind.of(d.kind()).path().replaceFirst("^/api/v1/", ""), payloads.render(d));
    }

    /** The order for the contact's next callback that waited behind this one (delivered or dead now). */
    private Optional<DeliveryOrder> nextOfContact(DeliveryRecord d, long now) {
        return deliveries.nextPendingOfContact(d)
                .map(waiting -> DeliveryOrder.of(waiting.id(), waiting.tenantId(), attemptToOrder(waiting), false,
                        Math.max(now, waiting.nextAttemptAt() == null ? now : waiting.nextAttemptAt())));
    }

    /** The next attempt, or the one a silent claimer never finished (taken over once its lease runs out). */
    private int attemptToOrder(DeliveryRecord d) {
        boolean claimOpen = d.attempts() > 0 && d.claimedBy() != null && !deliveries.attemptRecorded(d,
                d.attempts());
        return claimOpen ? d.attempts() : d.attempts() + 1;
    }

    private String channelOf(DeliveryRecord d) {
        return d.messageId() == null ? null : messages.find(d.messageId()).map(MessageRecord::channelId).orElse(null);
    }

    /** The attempt and where it leaves the delivery, stored; the taps get a copy in the same transaction. */
    private void recordAttempt(DeliveryRecord d, CallbackAttempt attempt, DeliveryAttemptRecord record, Status status,
            Long nextAttemptAt, Long deliveredAt) {
        deliveries.recordAttempt(d, record, attempt.payload(), status, nextAttemptAt, deliveredAt);
        Supplier<Map<String, Object>> data = () -> TapData.of("webhookId", d.id(), "callback",
                attempt.kind().name().toLowerCase(Locale.ROOT), "messageId", d.messageId(), "attempt",
                record.attempt(), "statusCode", record.statusCode(), "latencyMs", record.latencyMs(), "error",
                record.error(), "outcome", status.name().toLowerCase(Locale.ROOT), "nextAttemptAt", nextAttemptAt);
        taps.publish(Taps.CALLBACK_ATTEMPT, d.tenantId(), null, data);
        if (status == Status.DEAD) {
            taps.publish(Taps.DEAD_LETTER, d.tenantId(), null, data);
            events.publish(Taps.CALLBACK_EXHAUSTED, d.tenantId(), TapData.of("webhookId", d.id(), "callback",
                    attempt.kind().name().toLowerCase(Locale.ROOT), "messageId", d.messageId(), "contactId",
                    d.contactId(), "attempts", record.attempt(), "reason", record.error()));
        }
    }

    public boolean hasWebhook(String tenantId) {
        return webhooks.find(tenantId).isPresent();
    }

    /**
     * Sends on the tenant's callbacks that waited for a webhook, when one is set and at start: an order for each
     * contact's first, which sends on the contact's others as each is settled, so that no order waits in the queue
     * only to be dropped. A page of orders a write, however many contacts wait. Answers how many were queued.
     */
    public int resume(@ExchangeProperty(RouteProperties.TENANT) String tenantId) {
        int queued = 0;
        long afterSeq = Long.MIN_VALUE;
        List<DeliveryRecord> heads;
        do {
            heads = deliveries.waitingHeads(tenantId, afterSeq, WAITING_PAGE);
            long now = clock.millis();
            queue(heads.stream().map(d -> DeliveryOrder.of(d.id(), d.tenantId(), d.attempts() + 1, false, now))
                    .toList());
            queued += heads.size();
            afterSeq = heads.isEmpty() ? afterSeq : heads.get(heads.size() - 1).seq();
        } while (heads.size() == WAITING_PAGE);
        return queued;
    }

    private List<DeliveryOrder> followUps(DeliveryRecord d) {
        List<DeliveryOrder> next = new ArrayList<>();
        if (d.status() == Status.PENDING && d.nextAttemptAt() != null) {
            next.add(DeliveryOrder.of(d.id(), d.tenantId(), d.attempts() + 1, false, d.nextAttemptAt()));
        }
        if (d.status() == Status.DELIVERED || d.status() == Status.DEAD) {
            nextOfContact(d, clock.millis()).ifPresent(next::add);
        }
        return next;
    }

    /** The event's next callback (message/receive after contact/info). */
    private static List<DeliveryOrder> successor(DeliveryRecord d, long now) {
        return d.thenDeliveryId() == null ? List.of()
                : List.of(DeliveryOrder.of(d.thenDeliveryId(), d.tenantId(), 1, false, now));
    }

    private Map<String, String> signedHeaders(DeliveryRecord d, String payload, long now) {
        MeheryProperties.Tenant tenant = live.tenants().get(d.tenantId());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Exchange.CONTENT_TYPE, "application/json");
        headers.put("User-Agent", "Mehery-Gateway");
        if (tenant != null && tenant.verifyToken() != null) {
            headers.put("x-verify-token", tenant.verifyToken());
        }
        long timestamp = now / 1000;
        headers.put("webhook-id", d.id());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        if (tenant != null && tenant.signingSecret() != null) {
            headers.put("webhook-signature", WebhookSignatures.sign(tenant.signingSecret(), d.id(), timestamp,
                    payload));
        }
        return headers;
    }

    private void reportToBreaker(String tenantId, Integer status, long latency, String error) {
        boolean endpointTrouble = status == null || status >= 500 || status == 429 || status == 408;
        if (endpointTrouble) {
            breakers.failed(tenantId, latency, new IllegalStateException(error));
        } else {
            breakers.succeeded(tenantId, latency);
        }
    }

    private void mergeProfile(String contactId, String answer, long now) {
        if (answer == null || answer.isBlank()) {
            return;
        }
        try {
            ContactProfileUpdate update = json.readValue(answer, ContactProfileUpdate.class);
            contacts.mergeProfile(contactId, update.profileId(), update.name(), update.email(), update.mobile(),
                    update.labels() == null ? null : json.writeValueAsString(update.labels()), now);
        } catch (JsonProcessingException notAProfile) {
            LOG.info("The contact/info answer for contact {} is not a contact profile; nothing merged", contactId);
        }
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static String truncate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000);
    }
}
