package io.mehery.gateway.console;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.delivery.WebhookBreakers;
import io.mehery.gateway.store.InstanceFigures;
import io.mehery.gateway.store.InstanceFiguresStore;
import io.mehery.gateway.store.WebhookStore;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * GET /api/v1/admin/tenants: each tenant's webhook and its state (none set, active, failing while its breaker holds
 * callbacks back, disabled by a 410 Gone, paused by its operator), since when and why; its callbacks per minute and
 * the share of attempts that failed over the last five minutes, from every instance's figures; and its callbacks
 * still to make with the age of the oldest, as the backlog measurement last read them. A tenant's key sees its own.
 */
@Component("tenantStates")
public class TenantStates {

    private static final long WINDOW_MILLIS = 5 * 60_000L;

    private final LiveConfiguration live;
    private final WebhookStore webhooks;
    private final WebhookBreakers breakers;
    private final InstanceFiguresStore figures;
    private final MeterRegistry registry;
    private final Clock clock;

    public TenantStates(LiveConfiguration live, WebhookStore webhooks, WebhookBreakers breakers,
            InstanceFiguresStore figures, MeterRegistry registry, Clock clock) {
        this.live = live;
        this.webhooks = webhooks;
        this.breakers = breakers;
        this.figures = figures;
        this.registry = registry;
        this.clock = clock;
    }

    public List<Map<String, Object>> list(@ExchangeProperty(RouteProperties.TENANT) String caller) {
        long now = clock.millis();
        Map<String, long[]> recent = new TreeMap<>();
        for (InstanceFigures.Sampled sampled : figures.since(now - WINDOW_MILLIS)) {
            sampled.figures().tenants().forEach((tenant, counts) -> {
                long[] sums = recent.computeIfAbsent(tenant, t -> new long[3]);
                sums[0] += counts.delivered();
                sums[1] += counts.attempts();
                sums[2] += counts.failed();
            });
        }
        List<String> shown = caller != null ? List.of(caller) : live.tenants().keySet().stream().sorted().toList();
        return shown.stream().map(tenant -> stateOf(tenant, recent.getOrDefault(tenant, new long[3]), now)).toList();
    }

    private Map<String, Object> stateOf(String tenant, long[] recent, long now) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("id", tenant);
        Optional<WebhookStore.StoredWebhook> webhook = webhooks.current(tenant);
        state.put("webhook", webhook.map(w -> shown(w.url())).orElse(null));
        Optional<WebhookBreakers.Failing> failing = breakers.failing(tenant);
        if (webhook.isEmpty()) {
            describe(state, "none", null, "No webhook is set: callbacks wait for one");
        } else if (webhook.get().pausedAt() != null) {
            describe(state, "paused", webhook.get().pausedAt(), webhook.get().pausedReason());
        } else if (webhook.get().disabledAt() != null) {
            describe(state, "disabled", webhook.get().disabledAt(),
                    "The webhook answered 410 Gone: callbacks wait until it is set again");
        } else if (failing.isPresent()) {
            float rate = failing.get().failureRate();
            describe(state, "failing", failing.get().since(), (rate < 0 ? "Its last calls failed"
                    : Math.round(rate) + " % of its last calls failed") + ": callbacks are held, then tried again");
        } else {
            describe(state, "active", webhook.get().setAt(), null);
        }
        state.put("callbacksPerMinute", recent[0] * 60_000.0 / WINDOW_MILLIS);
        state.put("errorRate", recent[1] == 0 ? null : (double) recent[2] / recent[1]);
        state.put("backlog", Math.round(gauge("mehery.callbacks.backlog", tenant)));
        double oldestAge = gauge("mehery.callbacks.oldest.pending.age", tenant);
        state.put("oldestPendingAt", oldestAge > 0 ? now - Math.round(oldestAge * 1000) : null);
        return state;
    }

    private static void describe(Map<String, Object> state, String name, Long since, String reason) {
        state.put("state", name);
        state.put("since", since);
        state.put("reason", reason);
    }

    private double gauge(String name, String tenant) {
        return Gauges.valueOf(registry.find(name).tag("tenant", tenant));
    }

    /** The webhook's scheme, host and path: what a query string or user part may carry (a token) is left out. */
    static String shown(String url) {
        try {
            URI uri = new URI(url);
            String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
            return uri.getScheme() + "://" + uri.getHost() + port + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?…");
        } catch (URISyntaxException | RuntimeException unreadable) {
            return "(not shown: not a URL)";
        }
    }
}
