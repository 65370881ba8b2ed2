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
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.model.ContactProfileUpdate;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.mapping.Mappings;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.config.RouteProperties;
import io.mehery.gateway.conversation.Refusal;
import io.mehery.gateway.store.ContactStore;
import io.mehery.gateway.store.DeliveryAttemptRecord;
import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.DeliveryRecord.Status;
import io.mehery.gateway.store.DeliveryStore;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStore;
import io.mehery.gateway.store.WebhookStore;
import io.mehery.gateway.tap.TapData;
import io.mehery.gateway.tap.Taps;
import io.mehery.gateway.web.TraceIds;

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

    public CallbackDeliveries(DeliveryStore deliveries, WebhookStore webhooks, ContactStore contacts,
            CallbackPayloads payloads, WebhookBreakers breakers, DeliveryMetrics metrics, MeheryProperties properties,
            LiveConfiguration live, Clock clock, ObjectMapper json, GroupCommit commits, Taps taps, Mappings mappings,
            MessageStore messages) {
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
     * An order for an attempt already claimed is either the claimer's own, handed over again because its consumer
     * died (it makes the attempt again, or, if the attempt was recorded, sends on what followed it), or another
     * order for the same attempt (a second resume or replay): that one waits until the claim is older than an
     * attempt can take, and makes the attempt only if it was never recorded.
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
        // a delivered attempt's own order handed over again (the consumer died after the database committed the
        // attempt and before the broker committed what followed it) sends on the callback that follows; any other
        // order for a delivered callback has nothing to do
        if (d.status() == Status.DELIVERED) {
            return own ? DeliveryStep.onlyOrders(followUps(d, order.attempt())) : DeliveryStep.nothing();
        }
        if (claimed && deliveries.attemptRecorded(d.id(), order.attempt())) {
            return own ? DeliveryStep.onlyOrders(followUps(d, order.attempt())) : DeliveryStep.nothing();
        }
        boolean abandoned = claimed && d.status() == Status.PENDING && d.claimedAt() != null;
        if (abandoned && !own) {
            long leaseEnds = d.claimedAt() + claimLease.toMillis();
            if (leaseEnds > now) {
                return DeliveryStep.onlyOrders(List.of(order.heldUntil(leaseEnds)));
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
            commits.run(() -> deliveries.markWaiting(d.id(), now));
            return DeliveryStep.onlyOrders(d.attempts() == 0 ? successor(d, now) : List.of());
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
        // mapped before it is signed and stored: every attempt of this webhook-id sends the same
        String payload = d.payload() != null ? d.payload() : mappings.callback(d.tenantId(), () -> channelOf(d),
                CallbackKind.of(d.kind()).path().replaceFirst("^/api/v1/", ""), payloads.render(d));
        if (!abandoned && !commits.write(() -> deliveries.claimAttempt(d.id(), d.attempts(), order.replay(), payload,
                order.orderId(), now))) {
            breakers.release(d.tenantId());
            return DeliveryStep.nothing();
        }
        CallbackKind kind = CallbackKind.of(d.kind());
        CallbackAttempt attempt = new CallbackAttempt(d.id(), d.tenantId(), kind, order.attempt(), webhook.get(),
                webhook.get() + kind.path(), payload, signedHeaders(d, payload, now), now);
        try {
            WebhookTargets.check(attempt.url(), properties.webhooks().allowPrivateTargets());
        } catch (Refusal refused) {
            return DeliveryStep.onlyOrders(finish(attempt, null, "webhook target refused: "
                    + refused.description(), null, null));
        }
        return new DeliveryStep(attempt, List.of(), null);
    }

    /** The order again, held back until {@code at}; the delivery says so, so that it is not taken for stalled. */
    private DeliveryStep hold(DeliveryRecord d, DeliveryOrder order, long at) {
        commits.run(() -> deliveries.heldUntil(d.id(), at));
        return DeliveryStep.onlyOrders(List.of(order.heldUntil(at)));
    }

    /**
     * Orders for the pending callbacks whose order went missing: due for longer than
     * {@code mehery.delivery.recover-after} and claimed by nobody for as long (a retry, a hold or an attempt would have
     * recorded its time). Each is sent on with an order for its attempt: the next one, or the one a silent claimer
     * never finished (taken over once its lease ran out). An order that was only late finds its attempt made, and
     * is dropped.
     */
    public List<DeliveryOrder> stalled() {
        long now = clock.millis();
        long recoverAfter = live.current().delivery().recoverAfter().toMillis();
        List<DeliveryOrder> orders = new ArrayList<>();
        for (DeliveryRecord d : deliveries.stalled(now - recoverAfter, now - Math.max(recoverAfter,
                claimLease.toMillis()), STALLED_BATCH)) {
            orders.add(DeliveryOrder.of(d.id(), d.tenantId(), attemptToOrder(d), false, now));
        }
        if (!orders.isEmpty()) {
            LOG.warn("{} callbacks were due for over {} with no order on its way: sent on again", orders.size(),
                    live.current().delivery().recoverAfter());
        }
        return orders;
    }

    /** Prepares the exchange as the HTTP request of the attempt in its body. */
    public void toRequest(Exchange exchange) {
        CallbackAttempt attempt = exchange.getMessage().getBody(CallbackAttempt.class);
        exchange.setProperty(RouteProperties.CALLBACK_ATTEMPT, attempt);
        var message = exchange.getMessage();
        // the trace id of the request that brought the event in, under the name the client sees on our answers (the
        // breadcrumb header itself stays for the contact's next callback, and the HTTP client never sends it)
        Object traceId = message.getHeader(Exchange.BREADCRUMB_ID);
        if (traceId != null) {
            message.setHeader(TraceIds.HEADER, traceId);
        }
        message.setHeader(Exchange.HTTP_URI, attempt.url());
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        attempt.headers().forEach(message::setHeader);
        message.setBody(attempt.payload());
    }

    /**
     * Records the outcome of the HTTP call just made; answers the orders that follow from it, and, once the callback is
     * settled, the contact's next callback for this consumer to go on with at once when it is due (at most
     * {@value #CHAIN_PER_TURN} in a row, so that one chatty contact does not keep a consumer; past that its order
     * is queued).
     */
    public DeliveryStep complete(@ExchangeProperty(RouteProperties.CALLBACK_ATTEMPT) CallbackAttempt attempt,
            Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer status = failure == null ? exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)
                : null;
        String error = failure != null ? describe(failure)
                : status == null || status / 100 != 2 ? "HTTP " + status : null;
        List<DeliveryOrder> next = finish(attempt, status, error,
                exchange.getMessage().getHeader("Retry-After", String.class),
                error == null ? exchange.getMessage().getBody(String.class) : null);
        int chained = exchange.getProperty(RouteProperties.CALLBACK_CHAIN, 0, Integer.class);
        long now = clock.millis();
        for (DeliveryOrder order : next) {
            if (order.chained() && order.notBefore() <= now && chained < CHAIN_PER_TURN) {
                exchange.setProperty(RouteProperties.CALLBACK_CHAIN, chained + 1);
                List<DeliveryOrder> queued = new ArrayList<>(next);
                queued.remove(order);
                return new DeliveryStep(null, queued, order);
            }
        }
        return DeliveryStep.onlyOrders(next);
    }

    private List<DeliveryOrder> finish(CallbackAttempt attempt, Integer status, String error, String retryAfter,
            String answer) {
        long now = clock.millis();
        long latency = Math.max(0, now - attempt.startedAt());
        DeliveryRecord d = deliveries.find(attempt.deliveryId()).orElseThrow();
        var record = new DeliveryAttemptRecord(d.id(), attempt.attempt(), attempt.startedAt(), attempt.url(), status,
                latency, error == null ? null : truncate(error));
        List<DeliveryOrder> next = new ArrayList<>();
        // delivered or dead: the contact's next callback, waiting behind this one, goes on
        boolean settled = true;
        if (error == null) {
            commits.run(() -> {
                recordAttempt(d, attempt, record, Status.DELIVERED, null, now);
                if (attempt.kind() == CallbackKind.CONTACT_INFO) {
                    mergeProfile(d.contactId(), answer, now);
                }
            });
            breakers.succeeded(d.tenantId(), latency);
            metrics.delivered(d.tenantId(), attempt.kind(), Duration.ofMillis(Math.max(0, now - d.occurredAt())));
        } else if (status != null && status == 410) {
            settled = false;
            commits.run(() -> {
                recordAttempt(d, attempt, record, Status.WAITING, null, null);
                webhooks.disable(d.tenantId(), attempt.webhook(), now);
            });
            breakers.succeeded(d.tenantId(), latency);
            LOG.warn("Webhook of tenant {} answered 410 Gone: disabled until it is set again", d.tenantId());
        } else {
            reportToBreaker(d.tenantId(), status, latency, error);
            Duration askedFor = status != null && (status == 429 || status == 503)
                    ? RetrySchedule.parseRetryAfter(retryAfter, clock.instant()) : null;
            Optional<Duration> wait = schedule.waitBefore(d.attemptsThisRound(), askedFor);
            if (wait.isPresent()) {
                settled = false;
                long at = now + wait.get().toMillis();
                commits.run(() -> recordAttempt(d, attempt, record, Status.PENDING, at, null));
                next.add(DeliveryOrder.of(d.id(), d.tenantId(), attempt.attempt() + 1, false, at));
                metrics.retried(d.tenantId(), attempt.kind());
            } else {
                commits.run(() -> recordAttempt(d, attempt, record, Status.DEAD, null, null));
                metrics.deadLettered(d.tenantId(), attempt.kind());
                LOG.warn("Callback {} to tenant {} is a dead letter after {} attempts: {}", d.id(), d.tenantId(),
                        attempt.attempt(), record.error());
            }
        }
        if (attempt.attempt() == 1) {
            next.addAll(successor(d, now));
        }
        if (settled) {
            next.addAll(nextOfContact(d, now, next));
        }
        return next;
    }

    /**
     * The order for the contact's next callback that waited behind this one (delivered or dead now), unless an order
     * for it is already among {@code already}.
     */
    private List<DeliveryOrder> nextOfContact(DeliveryRecord d, long now, List<DeliveryOrder> already) {
        return deliveries.nextPendingOfContact(d)
                .filter(waiting -> already.stream().noneMatch(o -> o.deliveryId().equals(waiting.id())))
                .map(waiting -> List.of(DeliveryOrder.of(waiting.id(), waiting.tenantId(), attemptToOrder(waiting),
                        false, Math.max(now, waiting.nextAttemptAt() == null ? now : waiting.nextAttemptAt()))
                        .asChained()))
                .orElse(List.of());
    }

    /** The next attempt, or the one a silent claimer never finished (taken over once its lease runs out). */
    private int attemptToOrder(DeliveryRecord d) {
        boolean claimOpen = d.attempts() > 0 && d.claimedBy() != null && !deliveries.attemptRecorded(d.id(),
                d.attempts());
        return claimOpen ? d.attempts() : d.attempts() + 1;
    }

    private String channelOf(DeliveryRecord d) {
        return d.messageId() == null ? null : messages.find(d.messageId()).map(MessageRecord::channelId).orElse(null);
    }

    /** The attempt and where it leaves the delivery, stored; the taps get a copy in the same transaction. */
    private void recordAttempt(DeliveryRecord d, CallbackAttempt attempt, DeliveryAttemptRecord record, Status status,
            Long nextAttemptAt, Long deliveredAt) {
        deliveries.recordAttempt(record, status, nextAttemptAt, deliveredAt);
        Supplier<Map<String, Object>> data = () -> TapData.of("webhookId", d.id(), "callback",
                attempt.kind().name().toLowerCase(Locale.ROOT), "messageId", d.messageId(), "attempt",
                record.attempt(), "statusCode", record.statusCode(), "latencyMs", record.latencyMs(), "error",
                record.error(), "outcome", status.name().toLowerCase(Locale.ROOT), "nextAttemptAt", nextAttemptAt);
        taps.publish(Taps.CALLBACK_ATTEMPT, d.tenantId(), null, data);
        if (status == Status.DEAD) {
            taps.publish(Taps.DEAD_LETTER, d.tenantId(), null, data);
        }
    }

    public boolean hasWebhook(String tenantId) {
        return webhooks.find(tenantId).isPresent();
    }

    /** Orders for the tenant's deliveries that waited for a webhook; sent when one is set, and at start. */
    public List<DeliveryOrder> waiting(@ExchangeProperty(RouteProperties.TENANT) String tenantId) {
        long now = clock.millis();
        return deliveries.withStatus(tenantId, Status.WAITING, 10_000).stream()
                .map(d -> DeliveryOrder.of(d.id(), d.tenantId(), d.attempts() + 1, false, now)).toList();
    }

    private List<DeliveryOrder> followUps(DeliveryRecord d, int attempt) {
        List<DeliveryOrder> next = new ArrayList<>();
        if (d.status() == Status.PENDING && d.nextAttemptAt() != null) {
            next.add(DeliveryOrder.of(d.id(), d.tenantId(), d.attempts() + 1, false, d.nextAttemptAt()));
        }
        if (attempt == 1) {
            next.addAll(successor(d, clock.millis()));
        }
        if (d.status() == Status.DELIVERED || d.status() == Status.DEAD) {
            next.addAll(nextOfContact(d, clock.millis(), next));
        }
        return next;
    }

    /** The event's next callback (message/receive after contact/info): the contact's next, so a chained order. */
    private static List<DeliveryOrder> successor(DeliveryRecord d, long now) {
        return d.thenDeliveryId() == null ? List.of()
                : List.of(DeliveryOrder.of(d.thenDeliveryId(), d.tenantId(), 1, false, now).asChained());
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
