package io.mehery.gateway.analytics;

import java.time.Clock;
import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.Problem;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.DataEvent;
import io.mehery.gateway.conversation.Accepted;
import io.mehery.gateway.store.EventStore;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.IdempotentRequests;
import io.mehery.gateway.store.Outbox;

/** event/push: stores the event once per id and, in the same transaction, puts it in the outbox for the sink. */
@Component("analyticsEvents")
public class AnalyticsEvents {

    private final EventStore events;
    private final GroupCommit commits;
    private final Outbox outbox;
    private final String analyticsQueue;
    private final ObjectMapper json;
    private final Clock clock;
    private final IdempotentRequests idempotent;

    public AnalyticsEvents(EventStore events, GroupCommit commits, Outbox outbox,
            @Value("${mehery.queues.analytics}") String analyticsQueue, ObjectMapper json, Clock clock,
            IdempotentRequests idempotent) {
        this.idempotent = idempotent;
        this.events = events;
        this.commits = commits;
        this.outbox = outbox;
        this.analyticsQueue = analyticsQueue;
        this.json = json;
        this.clock = clock;
    }

    /** Records an event, once per {@code Idempotency-Key} when the caller gives one. */
    public Accepted record(@ExchangeProperty(RouteProperties.TENANT) String tenantId,
            @Header(IdempotentRequests.HEADER) String idempotencyKey, @Body DataEvent event) {
        return idempotent.once(tenantId, idempotencyKey, "event/push", event, Accepted.class,
                () -> recordOnce(tenantId, event));
    }

    private Accepted recordOnce(String tenantId, DataEvent event) {
        List<DataEvent.EventLink> links = event.links() == null ? List.of() : event.links();
        DataEvent stored = new DataEvent(event.eventName(), event.id(), links);
        String linksJson;
        try {
            linksJson = json.writeValueAsString(links);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an event's links as JSON", e);
        }
        return commits.write(() -> {
            long now = clock.millis();
            if (!events.insertIfNew(tenantId, event.id(), event.eventName(), linksJson, now)) {
                return new Accepted(stored, List.of(Problem.of("DUPLICATE_EVENT", "id",
                        "An event with this id was already recorded; it was not forwarded again")));
            }
            outbox.add(analyticsQueue, new AnalyticsEvent(tenantId, event.id(), event.eventName(), links, now), null);
            return Accepted.of(stored);
        });
    }
}
