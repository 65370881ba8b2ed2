package io.mehery.gateway.tap;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.camel.Body;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Tap;
import io.mehery.gateway.store.MessageStatus;
import io.mehery.gateway.store.Outbox;
import io.mehery.gateway.store.StatusChanges;

/**
 * Copies of the gateway's events for the taps of {@code mehery.taps}. An event is written to the outbox in the
 * transaction of what it tells of (nothing is copied of what did not happen, nothing that happened is missed), and
 * only when a tap wants it; the relay moves it to the taps' queue, from which each tap that wants it gets a copy
 * on a queue of its own (routes/taps.yaml). The main flow pays one outbox row per wanted event and never waits
 * for a tap.
 */
@Component("taps")
public class Taps implements StatusChanges {

    public static final String INBOUND_MESSAGE = "inbound-message";
    public static final String OUTBOUND_MESSAGE = "outbound-message";
    public static final String STATUS_CHANGE = "status-change";
    public static final String CALLBACK_ATTEMPT = "callback-attempt";
    public static final String DEAD_LETTER = "dead-letter";
    /** The operational events (delivery.OperationalEvents), which go to the operator's webhook too. */
    public static final String CALLBACK_EXHAUSTED = "callback.exhausted";
    public static final String WEBHOOK_DISABLED = "webhook.disabled";
    public static final String WEBHOOK_ENABLED = "webhook.enabled";
    public static final String WEBHOOK_FAILING = "webhook.failing";
    public static final String RECOVERY_FINISHED = "recovery.finished";
    public static final Set<String> EVENTS = Set.of(INBOUND_MESSAGE, OUTBOUND_MESSAGE, STATUS_CHANGE,
            CALLBACK_ATTEMPT, DEAD_LETTER, CALLBACK_EXHAUSTED, WEBHOOK_DISABLED, WEBHOOK_ENABLED, WEBHOOK_FAILING,
            RECOVERY_FINISHED);
    /**
     * A tap's own queue is this prefix and its name; what it fails to send ends in the taps' dead-letter queue
     * ({@code mehery.taps.dead}), each copy known by its tap's queue ({@code _AMQ_ORIG_ADDRESS}).
     */
    public static final String QUEUE_PREFIX = "mehery.taps.";

    private final LiveConfiguration live;
    private final Outbox outbox;
    private final Clock clock;
    private final String queue;

    public Taps(LiveConfiguration live, Outbox outbox, Clock clock, @Value("${mehery.queues.taps}") String queue) {
        this.live = live;
        this.outbox = outbox;
        this.clock = clock;
        this.queue = queue;
    }

    @Override
    public boolean wanted() {
        return live.current().taps().values().stream().anyMatch(tap -> matches(tap.events(), STATUS_CHANGE));
    }

    @Override
    public void changed(String tenantId, String channelId, String messageId, String sessionId, String messageIdExt,
            MessageStatus status, String failure) {
        publish(STATUS_CHANGE, tenantId, channelId, () -> TapData.of("messageId", messageId, "sessionId", sessionId,
                "messageIdExt", messageIdExt, "status", status.json(), "failure", failure));
    }

    /**
     * Called inside the transaction of what happened: the copy exists only if it committed. Its data is made only
     * when a tap wants the event, so that an event nobody taps costs a map lookup.
     */
    public void publish(String event, String tenantId, String channelId, Supplier<Map<String, Object>> data) {
        Map<String, Tap> taps = live.current().taps();
        if (taps.isEmpty() || taps.values().stream().noneMatch(tap -> wants(tap, event, tenantId, channelId))) {
            return;
        }
        outbox.add(queue, new TapEvent(UUID.randomUUID().toString(), event, tenantId, channelId, clock.millis(),
                data.get()), null);
    }

    /** The recipient list of an event on the taps' queue: the queue of each tap that wants it now. */
    public String recipients(@Body TapEvent event) {
        return live.current().taps().entrySet().stream()
                .filter(tap -> wants(tap.getValue(), event.event(), event.tenantId(), event.channelId()))
                .map(tap -> "jms:queue:" + QUEUE_PREFIX + tap.getKey() + "?exchangePattern=InOnly&jmsMessageType=Text")
                .collect(Collectors.joining(","));
    }

    static boolean wants(Tap tap, String event, String tenantId, String channelId) {
        return matches(tap.events(), event) && matches(tap.tenants(), tenantId) && matches(tap.channels(), channelId);
    }

    private static boolean matches(List<String> wanted, String value) {
        return wanted.isEmpty() || wanted.contains(value);
    }
}
