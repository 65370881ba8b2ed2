package io.mehery.gateway.delivery;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.TenantScope;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.DeliveryStore;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.IdempotentRequests;
import io.mehery.gateway.store.RecoveryRecord;
import io.mehery.gateway.store.RecoveryRecord.Scope;
import io.mehery.gateway.store.RecoveryRecord.State;
import io.mehery.gateway.store.RecoveryStore;
import io.mehery.gateway.store.WebhookStore;
import io.mehery.gateway.tap.TapData;
import io.mehery.gateway.tap.Taps;

/**
 * Recovery of a time range after a client's outage ({@code POST /api/v1/admin/deliveries/recover}): every dead (or
 * every undelivered: dead, or waiting for a later retry) callback of a tenant planned between {@code from} and
 * {@code to} is delivered again, with its own webhook-id and a new round of the retry schedule. A dry run answers how
 * many; a recovery is a job with an id, its progress, and a cancel. It sends its callbacks on a batch at a time, in
 * the order they were planned, and only while fewer than {@code mehery.delivery.recovery.in-flight} of the tenant's
 * callbacks are due or under way, so that live callbacks never queue behind it. Any instance may take the next
 * batch; the store lets only one move the job's cursor. When the last batch is sent on, {@code recovery.finished}
 * tells the operator.
 */
@Component("deliveryRecoveries")
public class DeliveryRecoveries {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryRecoveries.class);

    private final DeliveryStore deliveries;
    private final RecoveryStore recoveries;
    private final WebhookStore webhooks;
    private final GroupCommit commits;
    private final CallbackDeliveries callbacks;
    private final OperationalEvents events;
    private final LiveConfiguration live;
    private final Clock clock;
    private final ObjectMapper json;
    private final IdempotentRequests idempotent;

    public DeliveryRecoveries(DeliveryStore deliveries, RecoveryStore recoveries, WebhookStore webhooks,
            GroupCommit commits, CallbackDeliveries callbacks, OperationalEvents events, LiveConfiguration live,
            Clock clock, ObjectMapper json, IdempotentRequests idempotent) {
        this.idempotent = idempotent;
        this.deliveries = deliveries;
        this.recoveries = recoveries;
        this.webhooks = webhooks;
        this.commits = commits;
        this.callbacks = callbacks;
        this.events = events;
        this.live = live;
        this.clock = clock;
        this.json = json;
    }

    /**
     * A dry run's count ({@code count}), or the recovery begun (its {@code id}, state and progress): once per
     * {@code Idempotency-Key}, so that a retried request does not begin a second recovery.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> recover(@ExchangeProperty(RouteProperties.TENANT) String caller,
            @Header("tenant") String asked, @Header(IdempotentRequests.HEADER) String idempotencyKey,
            @Body String body) {
        String tenant = TenantScope.actedOn(caller, asked);
        Request request = Request.of(body, json, clock.millis());
        if (request.dryRun()) {
            return Map.of("dryRun", true, "count", deliveries.countRecoverable(tenant, request.scope(),
                    request.from(), request.to()), "tenantId", tenant, "status",
                    request.scope().name().toLowerCase(Locale.ROOT));
        }
        return idempotent.once(tenant, idempotencyKey, "admin/deliveries/recover", request, Map.class,
                () -> begin(tenant, request));
    }

    private Map<String, Object> begin(String tenant, Request request) {
        long count = deliveries.countRecoverable(tenant, request.scope(), request.from(), request.to());
        long now = clock.millis();
        RecoveryRecord begun = new RecoveryRecord(UUID.randomUUID().toString(), tenant, request.scope(),
                request.from(), request.to(), State.RUNNING, count, 0, request.from() - 1, now, now, null);
        commits.run(() -> recoveries.insert(begun));
        LOG.info("Recovery {} of tenant {} begun: {} {} callbacks planned from {} to {}", begun.id(), tenant, count,
                request.scope().name().toLowerCase(Locale.ROOT), request.from(), request.to());
        return view(begun);
    }

    public Map<String, Object> get(@ExchangeProperty(RouteProperties.TENANT) String caller,
            @Header("tenant") String asked, @Header("id") String id) {
        return view(find(TenantScope.actedOn(caller, asked), id));
    }

    /** Stops a running recovery: the callbacks already sent on go on; no other is sent on. */
    public Map<String, Object> cancel(@ExchangeProperty(RouteProperties.TENANT) String caller,
            @Header("tenant") String asked, @Header("id") String id) {
        String tenant = TenantScope.actedOn(caller, asked);
        RecoveryRecord found = find(tenant, id);
        if (found.state() == State.RUNNING) {
            commits.run(() -> {
                if (recoveries.end(id, State.CANCELLED, clock.millis())) {
                    finished(recoveries.find(tenant, id).orElseThrow());
                }
            });
        }
        return view(find(tenant, id));
    }

    /**
     * A turn of the recoveries (routes/delivery-recovery.yaml, every few seconds): while any is running, each sends on
     * its next batch when its tenant has room, every {@code mehery.delivery.recovery.every}, for up to {@code turn}
     * milliseconds. With none running a turn is one query, so an idle gateway does not poll every 200 ms.
     */
    public void advance(@Header("turn") long turn) {
        long until = clock.millis() + turn;
        List<RecoveryRecord> running = recoveries.running();
        while (!running.isEmpty()) {
            running.forEach(this::advanceOne);
            long pause = live.current().delivery().recovery().every().toMillis();
            if (clock.millis() + pause >= until) {
                return;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return;
            }
            running = recoveries.running();
        }
    }

    private void advanceOne(RecoveryRecord recovery) {
        try {
            advance(recovery);
        } catch (ConcurrentRecovery takenElsewhere) {
            // the other instance sent the batch on; the next pass reads where it left the cursor
        } catch (RuntimeException e) {
            LOG.warn("Recovery {} of tenant {} could not go on now, tried again: {}", recovery.id(),
                    recovery.tenantId(), e.toString());
        }
    }

    private void advance(RecoveryRecord recovery) {
        long now = clock.millis();
        // a paused tenant's callbacks would only be held; one without a webhook waits for it
        if (webhooks.find(recovery.tenantId()).isEmpty()) {
            return;
        }
        int room = (int) Math.max(0, live.current().delivery().recovery().inFlight()
                - deliveries.dueNow(recovery.tenantId(), now));
        if (room == 0) {
            return;
        }
        List<DeliveryRecord> batch = batch(recovery, room);
        commits.run(() -> {
            if (batch.isEmpty()) {
                if (recoveries.end(recovery.id(), State.FINISHED, now)) {
                    finished(recoveries.find(recovery.tenantId(), recovery.id()).orElseThrow());
                }
                return;
            }
            List<DeliveryOrder> orders = new ArrayList<>();
            for (DeliveryRecord d : batch) {
                if (deliveries.revive(d, now)) {
                    orders.add(DeliveryOrder.of(d.id(), d.tenantId(), d.attempts() + 1, false, now));
                }
            }
            // inside this write, so the orders leave with the revivals, or not at all
            callbacks.queue(orders);
            // only the instance that saw the cursor where it was moves it; the others' revivals roll back with it
            if (!recoveries.advance(recovery, batch.get(batch.size() - 1).createdAt(), orders.size(), now)) {
                throw new ConcurrentRecovery();
            }
        });
    }

    /**
     * The next callbacks after the cursor, at most about {@code room}, ending at a whole millisecond of planning time:
     * the next batch begins after the last time taken, so none planned in the same millisecond as the cut is left
     * behind (when a whole batch shares one millisecond, all of that millisecond are taken).
     */
    private List<DeliveryRecord> batch(RecoveryRecord recovery, int room) {
        List<DeliveryRecord> found = deliveries.recoverable(recovery.tenantId(), recovery.scope(),
                recovery.cursorAt(), recovery.toAt(), room);
        found = found.subList(0, Math.min(room, found.size()));
        if (found.size() < room) {
            return found;
        }
        long last = found.get(found.size() - 1).createdAt();
        List<DeliveryRecord> before = found.stream().filter(d -> d.createdAt() < last).toList();
        return !before.isEmpty() ? before : deliveries.recoverable(recovery.tenantId(), recovery.scope(), last - 1,
                last + 1, Integer.MAX_VALUE);
    }

    private void finished(RecoveryRecord ended) {
        events.publish(Taps.RECOVERY_FINISHED, ended.tenantId(), TapData.of("recoveryId", ended.id(), "state",
                ended.state().name().toLowerCase(Locale.ROOT), "status", ended.scope().name().toLowerCase(Locale.ROOT),
                "total", ended.total(), "recovered", ended.recovered(), "reason", ended.state() == State.CANCELLED
                        ? "Cancelled by its operator" : "Every callback in its range was sent on"));
        LOG.info("Recovery {} of tenant {} {}: {} of {} callbacks sent on", ended.id(), ended.tenantId(),
                ended.state().name().toLowerCase(Locale.ROOT), ended.recovered(), ended.total());
    }

    private RecoveryRecord find(String tenant, String id) {
        return recoveries.find(tenant, id).orElseThrow(() -> ApiException.notFound("RECOVERY_NOT_FOUND", "id",
                "No recovery '" + id + "' for this tenant"));
    }

    private static Map<String, Object> view(RecoveryRecord r) {
        return TapData.of("id", r.id(), "tenantId", r.tenantId(), "status", r.scope().name().toLowerCase(Locale.ROOT),
                "from", Instant.ofEpochMilli(r.fromAt()).toString(), "to", Instant.ofEpochMilli(r.toAt()).toString(),
                "state", r.state().name().toLowerCase(Locale.ROOT), "total", r.total(), "recovered", r.recovered(),
                "createdAt", r.createdAt(), "finishedAt", r.finishedAt());
    }

    /** Another instance took this batch first: this write is undone, and the next tick reads the job again. */
    private static final class ConcurrentRecovery extends RuntimeException {
        ConcurrentRecovery() {
            super("another instance moved the recovery on first", null, false, false);
        }
    }

    /** What a recovery request asks for; {@code to} is now when not given. */
    record Request(Scope scope, long from, long to, boolean dryRun) {

        static Request of(String body, ObjectMapper json, long now) {
            JsonNode request;
            try {
                request = body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
            } catch (IOException e) {
                throw ApiException.badRequest("INVALID_JSON", "body", "The body is not JSON");
            }
            if (!request.isObject()) {
                throw ApiException.badRequest("INVALID_JSON", "body", "The body is a JSON object");
            }
            Long from = DeliverySearch.instant(text(request, "from"), "from");
            if (from == null) {
                throw ApiException.badRequest("FIELD_REQUIRED", "from",
                        "from: the time the range begins (ISO-8601, 2026-12-03T10:00:00Z)");
            }
            Long until = DeliverySearch.instant(text(request, "to"), "to");
            long to = until == null ? now : until;
            if (to <= from) {
                throw ApiException.badRequest("INVALID_RANGE", "to", "to must be after from");
            }
            String status = request.path("status").asText("dead").toUpperCase(Locale.ROOT);
            Scope scope;
            try {
                scope = Scope.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("INVALID_STATUS", "status",
                        "status: dead (the dead letters, the default) or undelivered (dead or waiting for a retry)");
            }
            JsonNode dryRun = request.path("dryRun");
            if (!dryRun.isMissingNode() && !dryRun.isBoolean()) {
                throw ApiException.badRequest("INVALID_FIELD", "dryRun", "dryRun is true or false");
            }
            return new Request(scope, from, to, dryRun.asBoolean(false));
        }

        private static String text(JsonNode request, String field) {
            JsonNode value = request.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }
    }
}
