package io.mehery.gateway.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.config.ClusterInstance;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.OperationsWebhook;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.Outbox;
import io.mehery.gateway.tap.Taps;

/**
 * What the gateway gave up on or changed by itself, told to the operator: a callback that exhausted its retry
 * schedule, a webhook disabled by {@code 410 Gone} or set again, a webhook failing (its breaker opened) or answering
 * again, a recovery finished. Each goes to the taps that want it and, when {@code mehery.operations.webhook} is set,
 * to that webhook as a signed Standard Webhooks callback, from a queue of its own (retried by the broker, then left
 * in the dead-letter queue). Their names are the taps' ({@link Taps#CALLBACK_EXHAUSTED} and after). Published in
 * the write of what it tells of: no event of what did not happen, none missed of what did.
 */
@Component("operationalEvents")
public class OperationalEvents {

    private final Taps taps;
    private final Outbox outbox;
    private final GroupCommit commits;
    private final LiveConfiguration live;
    private final ClusterInstance instance;
    private final Clock clock;
    private final ObjectMapper json;
    private final String queue;

    public OperationalEvents(Taps taps, Outbox outbox, GroupCommit commits, LiveConfiguration live,
            ClusterInstance instance, Clock clock, ObjectMapper json,
            @Value("${mehery.queues.operations}") String queue) {
        this.taps = taps;
        this.outbox = outbox;
        this.commits = commits;
        this.live = live;
        this.instance = instance;
        this.clock = clock;
        this.json = json;
        this.queue = queue;
    }

    /** Inside the write of what happened: the event leaves with it, or not at all. */
    public void publish(String type, String tenantId, Map<String, Object> details) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tenantId", tenantId);
        data.putAll(details);
        data.put("instance", instance.id());
        taps.publish(type, tenantId, null, () -> data);
        if (live.current().operations().webhook() != null) {
            String id = "evt_" + UUID.randomUUID().toString().replace("-", "");
            outbox.add(queue, new OperationalEvent(id, type, Instant.ofEpochMilli(clock.millis()).toString(), data),
                    null);
        }
    }

    /** What happened outside any write (a breaker's change): in a write of its own. */
    public void publishNow(String type, String tenantId, Map<String, Object> details) {
        commits.run(() -> publish(type, tenantId, details));
    }

    /**
     * The signed callback for an event taken from the queue, its URL in the exchange property
     * {@code meheryOperationsUrl}; none when the webhook was unset meanwhile.
     */
    public String signed(@Body OperationalEvent event, Exchange exchange) throws JsonProcessingException {
        OperationsWebhook webhook = live.current().operations().webhook();
        if (webhook == null) {
            return null;
        }
        String payload = json.writeValueAsString(event.payload());
        long timestamp = clock.millis() / 1000;
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader("User-Agent", "Mehery-Gateway");
        exchange.getMessage().setHeader("webhook-id", event.id());
        exchange.getMessage().setHeader("webhook-timestamp", Long.toString(timestamp));
        exchange.getMessage().setHeader("webhook-signature", WebhookSignatures.sign(webhook.signingSecret(),
                event.id(), timestamp, payload));
        exchange.setProperty(RouteProperties.OPERATIONS_URL, webhook.url());
        return payload;
    }
}
