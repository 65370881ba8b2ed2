package io.mehery.gateway.analytics;

import java.time.Clock;
import java.util.List;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiRequestGate;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.api.model.DataEvent;
import io.mehery.gateway.conversation.Handoff;
import io.mehery.gateway.store.EventStore;

/** event/push: stores the event once per id and hands it on to the analytics sink. */
@Component("analyticsEvents")
public class AnalyticsEvents {

    private final EventStore events;
    private final ObjectMapper json;
    private final Clock clock;

    public AnalyticsEvents(EventStore events, ObjectMapper json, Clock clock) {
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    public Handoff record(@ExchangeProperty(ApiRequestGate.TENANT) String tenantId, @Body DataEvent event)
            throws JsonProcessingException {
        List<DataEvent.EventLink> links = event.links() == null ? List.of() : event.links();
        DataEvent stored = new DataEvent(event.eventName(), event.id(), links);
        long now = clock.millis();
        if (!events.insertIfNew(tenantId, event.id(), event.eventName(), json.writeValueAsString(links), now)) {
            return new Handoff(stored, null, () -> { }, List.of(Problem.of("DUPLICATE_EVENT", "id",
                    "An event with this id was already recorded; it was not forwarded again")));
        }
        return new Handoff(stored, new AnalyticsEvent(tenantId, event.id(), event.eventName(), links, now),
                () -> events.delete(tenantId, event.id()));
    }
}
