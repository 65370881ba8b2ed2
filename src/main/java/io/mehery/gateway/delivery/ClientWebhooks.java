package io.mehery.gateway.delivery;

import java.time.Clock;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiRequestGate;
import io.mehery.gateway.api.model.ConfigValue;
import io.mehery.gateway.api.model.WebhookRequest;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.WebhookStore;

/** config/webhook: where a tenant's callbacks go. */
@Component("clientWebhooks")
public class ClientWebhooks {

    static final String KEY = "webhook";
    static final String DESCRIPTION = "Base URL of the client's webhook: callbacks are POSTed to"
            + " {url}/api/v1/message/receive, {url}/api/v1/contact/info and {url}/api/v1/action/event";

    private final WebhookStore webhooks;
    private final GroupCommit commits;
    private final MeheryProperties properties;
    private final Clock clock;

    public ClientWebhooks(WebhookStore webhooks, GroupCommit commits, MeheryProperties properties, Clock clock) {
        this.webhooks = webhooks;
        this.commits = commits;
        this.properties = properties;
        this.clock = clock;
    }

    public ConfigValue set(@ExchangeProperty(ApiRequestGate.TENANT) String tenantId, @Body WebhookRequest request) {
        String url = WebhookTargets.check(request.url(), properties.webhooks().allowPrivateTargets()).toString();
        // through the single writer that plans callbacks: once this returns, every event accepted without a webhook
        // has its deliveries waiting, for the route to send on
        commits.run(() -> webhooks.save(tenantId, url, clock.millis()));
        return new ConfigValue(DESCRIPTION, KEY, false, Map.of("url", url));
    }
}
