package io.mehery.gateway.delivery;

import java.time.Clock;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.TenantScope;
import io.mehery.gateway.store.GroupCommit;
import io.mehery.gateway.store.WebhookStore;

/**
 * Pause and resume of a tenant's deliveries, for maintenance on the client's side. While paused the tenant's
 * webhook is not called: callbacks already under way finish, every other one waits, held, with no attempt counted,
 * and nothing is dropped. Resuming sends them on as a newly set webhook does, each contact's in the order they were
 * planned. The operation's tenant becomes the exchange's (property meheryTenant), for the steps after it.
 */
@Component("deliveryPauses")
public class DeliveryPauses {

    private static final int MAX_REASON = 500;

    private final WebhookStore webhooks;
    private final GroupCommit commits;
    private final Clock clock;
    private final ObjectMapper json;

    public DeliveryPauses(WebhookStore webhooks, GroupCommit commits, Clock clock, ObjectMapper json) {
        this.webhooks = webhooks;
        this.commits = commits;
        this.clock = clock;
        this.json = json;
    }

    public void pause(Exchange exchange, @ExchangeProperty(RouteProperties.TENANT) String caller,
            @Header("tenant") String asked, @Body String body) {
        String tenant = TenantScope.actedOn(caller, asked);
        String reason = reasonIn(body);
        // through the single writer that plans callbacks: once paused, no callback planned after this is attempted
        boolean paused = commits.write(() -> webhooks.pause(tenant, reason, clock.millis()));
        requireWebhook(paused);
        exchange.setProperty(RouteProperties.TENANT, tenant);
    }

    public void resume(Exchange exchange, @ExchangeProperty(RouteProperties.TENANT) String caller,
            @Header("tenant") String asked) {
        String tenant = TenantScope.actedOn(caller, asked);
        requireWebhook(commits.write(() -> webhooks.resume(tenant)));
        exchange.setProperty(RouteProperties.TENANT, tenant);
    }

    private static void requireWebhook(boolean found) {
        if (!found) {
            throw ApiException.notFound("WEBHOOK_NOT_SET", null,
                    "No webhook is set for this tenant: its callbacks already wait for one");
        }
    }

    private String reasonIn(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode reason = json.readTree(body).get("reason");
            return reason == null || reason.isNull() ? null
                    : reason.asText().substring(0, Math.min(MAX_REASON, reason.asText().length()));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("INVALID_JSON", "body", "The body is not JSON");
        }
    }
}
