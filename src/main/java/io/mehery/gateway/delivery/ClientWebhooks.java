package io.mehery.gateway.delivery;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Refusal;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.ConfigValue;
import io.mehery.gateway.api.model.WebhookRequest;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.security.WebhookTargets;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.WebhookStore;
import io.mehery.gateway.tap.TapData;
import io.mehery.gateway.tap.Taps;

/** config/webhook: where a tenant's callbacks go, set and read. */
@Component("clientWebhooks")
public class ClientWebhooks {

    static final String KEY = "webhook";
    static final String DESCRIPTION = "Base URL of the client's webhook: callbacks are POSTed to"
            + " {url}/api/v1/message/receive, {url}/api/v1/contact/info and {url}/api/v1/action/event";

    private final WebhookStore webhooks;
    private final GroupCommit commits;
    private final MeheryProperties properties;
    private final Clock clock;
    private final WebhookBreakers breakers;
    private final OperationalEvents events;

    public ClientWebhooks(WebhookStore webhooks, GroupCommit commits, MeheryProperties properties, Clock clock,
            WebhookBreakers breakers, OperationalEvents events) {
        this.breakers = breakers;
        this.events = events;
        this.webhooks = webhooks;
        this.commits = commits;
        this.properties = properties;
        this.clock = clock;
    }

    public ConfigValue set(@ExchangeProperty(RouteProperties.TENANT) String tenantId, @Body WebhookRequest request) {
        String url = WebhookTargets.check(request.url(), properties.webhooks().allowPrivateTargets()).toString();
        // through the single writer that plans callbacks: once this returns, every event accepted without a webhook
        // has its deliveries waiting, for the route to send on
        commits.run(() -> {
            boolean wasDisabled = webhooks.current(tenantId).map(w -> w.disabledAt() != null).orElse(false);
            webhooks.save(tenantId, url, clock.millis());
            if (wasDisabled) {
                events.publish(Taps.WEBHOOK_ENABLED, tenantId, TapData.of("url", url, "reason",
                        "The webhook was set again after it answered 410 Gone"));
            }
        });
        return new ConfigValue(DESCRIPTION, KEY, false, Map.of("url", url));
    }

    /**
     * The webhook that is set, and whether callbacks go to it: its {@code state} with the {@code reason} and
     * {@code since} when: {@code disabled} when it answered 410 Gone (until it is set again) or its target is refused
     * now ({@code allow-private-targets} turned off since it was set); {@code paused} while the tenant's deliveries
     * are paused; {@code failing} while its breaker holds callbacks after failures; else {@code active}.
     */
    public ConfigValue current(@ExchangeProperty(RouteProperties.TENANT) String tenantId) {
        WebhookStore.StoredWebhook stored = webhooks.current(tenantId).orElseThrow(() -> ApiException.notFound(
                "WEBHOOK_NOT_SET", null, "No webhook is set for this tenant; POST /api/v1/config/webhook sets one"));
        String disabledBecause = null;
        if (stored.disabledAt() != null) {
            disabledBecause = "The webhook answered 410 Gone; callbacks wait until it is set again";
        } else {
            try {
                WebhookTargets.check(stored.url(), properties.webhooks().allowPrivateTargets());
            } catch (Refusal refused) {
                disabledBecause = "Callbacks to it are refused: " + refused.description();
            }
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("url", stored.url());
        value.put("setAt", stored.setAt());
        value.put("disabled", disabledBecause != null);
        value.put("disabledAt", stored.disabledAt());
        value.put("disabledReason", disabledBecause);
        if (disabledBecause != null) {
            state(value, "disabled", disabledBecause, stored.disabledAt());
        } else if (stored.pausedAt() != null) {
            state(value, "paused", stored.pausedReason() == null ? "Paused by its operator" : stored.pausedReason(),
                    stored.pausedAt());
        } else if (breakers.state(tenantId) != CircuitBreaker.State.CLOSED) {
            state(value, "failing", "The webhook kept failing: callbacks are held, then tried again", null);
        } else {
            state(value, "active", null, null);
        }
        return new ConfigValue(DESCRIPTION, KEY, false, value);
    }

    private static void state(Map<String, Object> value, String state, String reason, Long since) {
        value.put("state", state);
        value.put("reason", reason);
        value.put("since", since);
    }
}
