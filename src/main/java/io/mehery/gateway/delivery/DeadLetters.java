package io.mehery.gateway.delivery;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.TenantScope;
import io.mehery.gateway.store.DeliveryRecord.Status;
import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.DeliveryStore;
import io.mehery.gateway.store.IdempotentRequests;

/**
 * The admin side of delivery: a tenant lists its dead letters (or any part of its delivery log) and replays
 * them. A replay is an order like any other; the delivery revives only when the order is taken, so a replay that
 * cannot be queued changes nothing.
 */
@Component("deadLetters")
public class DeadLetters {

    static final int MAX_LISTED = 1000;

    private final DeliveryStore deliveries;
    private final Clock clock;
    private final DeliveryViews views;
    private final IdempotentRequests idempotent;

    public DeadLetters(DeliveryStore deliveries, Clock clock, DeliveryViews views, IdempotentRequests idempotent) {
        this.deliveries = deliveries;
        this.clock = clock;
        this.views = views;
        this.idempotent = idempotent;
    }

    public List<DeliveryView> list(@ExchangeProperty(RouteProperties.TENANT) String tenantId,
            @Header("status") String status, @Header("limit") Integer limit) {
        Status wanted = status == null ? Status.DEAD : Status.valueOf(status);
        int max = limit == null ? 100 : Math.min(limit, MAX_LISTED);
        return views.of(deliveries.withStatus(tenantId, wanted, max));
    }

    /**
     * The replay of one dead letter (the operator names its tenant); once per {@code Idempotency-Key}: a retried
     * request answers the first answer (its orders queued again make no second call: each names an attempt already
     * made).
     */
    public Replay replay(@ExchangeProperty(RouteProperties.TENANT) String caller, @Header("tenant") String asked,
            @Header("id") String id, @Header(IdempotentRequests.HEADER) String idempotencyKey) {
        String tenantId = TenantScope.actedOn(caller, asked);
        return idempotent.once(tenantId, idempotencyKey, "admin/dead-letters/replay", id, Replay.class,
                () -> replayOne(tenantId, id));
    }

    private Replay replayOne(String tenantId, String id) {
        DeliveryRecord d = deliveries.find(tenantId, id).orElseThrow(() -> ApiException.notFound(
                "DEAD_LETTER_NOT_FOUND", "id", "No delivery '" + id + "' for this tenant"));
        if (d.status() != Status.DEAD) {
            throw ApiException.conflict("NOT_A_DEAD_LETTER", "id", "Delivery '" + id + "' is " + d.status()
                    + ", not a dead letter");
        }
        return new Replay(List.of(views.of(d)), List.of(order(d)));
    }

    /** The replay of every dead letter (up to {@value #MAX_LISTED}); once per {@code Idempotency-Key}, as above. */
    public Replay replayAll(@ExchangeProperty(RouteProperties.TENANT) String tenantId,
            @Header(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotent.once(tenantId, idempotencyKey, "admin/dead-letters/replay-all", "all", Replay.class, () -> {
            List<DeliveryRecord> dead = deliveries.withStatus(tenantId, Status.DEAD, MAX_LISTED);
            return new Replay(views.of(dead), dead.stream().map(this::order).toList());
        });
    }

    private DeliveryOrder order(DeliveryRecord d) {
        return DeliveryOrder.of(d.id(), d.tenantId(), d.attempts() + 1, true, clock.millis());
    }

    /** The deliveries a replay revives, as the caller sees them, and the orders that revive them. */
    public record Replay(List<DeliveryView> deliveries, List<DeliveryOrder> orders) {

        /** What the answer's {@code meta} says: how many deliveries were replayed. */
        public Map<String, Object> meta() {
            return Map.of("replayed", deliveries.size());
        }
    }
}
