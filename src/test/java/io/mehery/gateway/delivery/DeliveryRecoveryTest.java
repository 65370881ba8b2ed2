package io.mehery.gateway.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.mehery.gateway.WebhookReceiver.CONTACT_INFO;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.OperationalEventsSeen;
import io.mehery.gateway.WebhookReceiver;

/**
 * Recovery of a time range after a client's outage, over the real HTTP API, and the operational events the operator's
 * webhook hears meanwhile (each verified with the Standard Webhooks scheme).
 */
class DeliveryRecoveryTest extends GatewayTestSupport {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final WebhookReceiver RECEIVER = new WebhookReceiver();
    private static final String KEY = "recovered-key";
    private static final String RECOVER = "/api/v1/admin/deliveries/recover";

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void aDryRunCountsThenARecoveryDeliversExactlyTheDeadOnesOnceWithTheirWebhookIds() throws Exception {
        RECEIVER.answerAll("recovered", aResponse().withStatus(200));
        assertThat(api.post("/api/v1/config/webhook", KEY, "{\"url\":\"" + RECEIVER.baseUrl("recovered") + "\"}")
                .status()).isEqualTo(200);
        Instant from = Instant.now();
        api.sandboxText("recovered-sandbox", KEY, "+15557730000", "delivered before the outage");
        await().atMost(PATIENCE).until(() -> search("?status=DELIVERED").size() == 2);

        // the client's outage: two new contacts write, and their four callbacks exhaust the schedule (slowly: once
        // the breaker opens, one probe a second)
        RECEIVER.answerAll("recovered", aResponse().withStatus(503));
        for (int i = 1; i <= 2; i++) {
            api.sandboxText("recovered-sandbox", KEY, "+1555773000" + i, "during the outage " + i);
        }
        await().atMost(PATIENCE.multipliedBy(2)).until(() -> search("?status=DEAD").size() == 4);
        List<String> dead = search("?status=DEAD").stream().map(d -> d.get("webhookId").asText()).toList();
        Instant to = Instant.now();

        await().atMost(PATIENCE).until(() -> OperationalEventsSeen.of("callback.exhausted", "recovered").size() == 4);
        for (LoggedRequest event : OperationalEventsSeen.of("callback.exhausted", "recovered")) {
            assertThat(WebhookReceiver.signedBy(OPERATIONS_SECRET, event)).as("signed").isTrue();
            JsonNode data = WebhookReceiver.json(event).get("data");
            assertThat(dead).contains(data.get("webhookId").asText());
            assertThat(data.get("reason").asText()).isEqualTo("HTTP 503");
            assertThat(data.get("attempts").asInt()).isEqualTo(4);
        }
        await().atMost(PATIENCE).until(() -> !OperationalEventsSeen.of("webhook.failing", "recovered").isEmpty());
        assertThat(WebhookReceiver.json(OperationalEventsSeen.of("webhook.failing", "recovered").get(0))
                .at("/data/reason").asText()).contains("% of its last calls");

        String range = "\"from\":\"" + from + "\",\"to\":\"" + to + "\"";
        Api.Reply dryRun = api.post(RECOVER, KEY, "{" + range + ",\"dryRun\":true}");
        assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(200);
        assertThat(dryRun.data().get("count").asLong()).isEqualTo(4);
        assertThat(search("?status=DEAD")).as("a dry run changes nothing").hasSize(4);

        RECEIVER.reset();
        RECEIVER.answerAll("recovered", aResponse().withStatus(200));
        Api.Reply begun = api.postOnce(RECOVER, KEY, "recover-after-outage", "{" + range + "}");
        assertThat(begun.status()).as(begun.body()).isEqualTo(200);
        String id = begun.data().get("id").asText();
        assertThat(begun.data().get("total").asLong()).isEqualTo(4);
        assertThat(api.postOnce(RECOVER, KEY, "recover-after-outage", "{" + range + "}").data().get("id").asText())
                .as("the same Idempotency-Key begins no second recovery").isEqualTo(id);

        await().atMost(PATIENCE).until(() -> recovery(id).get("state").asText().equals("finished"));
        assertThat(recovery(id).get("recovered").asLong()).isEqualTo(4);
        await().atMost(PATIENCE).until(() -> search("?status=DELIVERED").size() == 6);
        List<LoggedRequest> got = new ArrayList<>(RECEIVER.received("recovered", CONTACT_INFO));
        got.addAll(RECEIVER.received("recovered", MESSAGE_RECEIVE));
        assertThat(got).extracting(r -> r.getHeader("webhook-id")).containsExactlyInAnyOrderElementsOf(dead);

        await().atMost(PATIENCE).until(() -> finishedEvent(id) != null);
        LoggedRequest finished = finishedEvent(id);
        assertThat(WebhookReceiver.signedBy(OPERATIONS_SECRET, finished)).isTrue();
        assertThat(WebhookReceiver.json(finished).at("/data/state").asText()).isEqualTo("finished");
        assertThat(WebhookReceiver.json(finished).at("/data/recovered").asInt()).isEqualTo(4);
        await().atMost(PATIENCE).until(() -> !OperationalEventsSeen.of("webhook.enabled", "recovered").isEmpty());
    }

    @Test
    void aRecoveryWaitingForItsTenantCanBeCancelled() {
        assertThat(api.post("/api/v1/config/webhook", KEY, "{\"url\":\"" + RECEIVER.baseUrl("recovered") + "\"}")
                .status()).isEqualTo(200);
        assertThat(api.post("/api/v1/admin/webhook/pause?tenant=recovered", ADMIN_KEY, "").status()).isEqualTo(200);
        try {
            Api.Reply begun = api.post(RECOVER + "?tenant=recovered", ADMIN_KEY,
                    "{\"from\":\"2026-01-01T00:00:00Z\",\"status\":\"undelivered\"}");
            assertThat(begun.status()).as(begun.body()).isEqualTo(200);
            String id = begun.data().get("id").asText();
            assertThat(begun.data().get("state").asText()).isEqualTo("running");

            Api.Reply cancelled = api.post("/api/v1/admin/recoveries/" + id + "/cancel", KEY, "");
            assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
            assertThat(cancelled.data().get("state").asText()).isEqualTo("cancelled");
            assertThat(recovery(id).get("state").asText()).isEqualTo("cancelled");
            await().atMost(PATIENCE).until(() -> finishedEvent(id) != null);
            assertThat(WebhookReceiver.json(finishedEvent(id)).at("/data/state").asText()).isEqualTo("cancelled");
        } finally {
            api.post("/api/v1/admin/webhook/resume", KEY, "");
        }
    }

    @Test
    void aBadRecoveryIsRefusedWithItsFieldAndAnotherTenantsIsNotFound() {
        assertThat(api.post(RECOVER, KEY, "{\"dryRun\":true}").errorFields()).contains("from");
        assertThat(api.post(RECOVER, KEY, "{\"from\":\"2026-12-03T10:00:00Z\",\"to\":\"2026-12-03T09:00:00Z\"}")
                .errorCode()).isEqualTo("INVALID_RANGE");
        assertThat(api.post(RECOVER, KEY, "{\"from\":\"2026-12-03T10:00:00Z\",\"status\":\"lost\"}").status())
                .isEqualTo(400);
        assertThat(api.post(RECOVER, KEY, "{\"from\":\"yesterday\"}").status()).isEqualTo(400);
        assertThat(api.post(RECOVER, ADMIN_KEY, "{\"from\":\"2026-12-03T10:00:00Z\"}").errorCode())
                .isEqualTo("TENANT_REQUIRED");
        assertThat(api.get("/api/v1/admin/recoveries/no-such-recovery", KEY).status()).isEqualTo(404);

        Api.Reply begun = api.post(RECOVER, KEY, "{\"from\":\"2026-12-03T10:00:00Z\",\"to\":\"2026-12-03T10:00:01Z\"}");
        assertThat(begun.status()).as(begun.body()).isEqualTo(200);
        assertThat(api.get("/api/v1/admin/recoveries/" + begun.data().get("id").asText(), "calm-key").status())
                .as("another tenant's recovery").isEqualTo(404);
        assertThat(api.post(RECOVER, null, "{\"from\":\"2026-12-03T10:00:00Z\"}").status()).isEqualTo(401);
    }

    /** The recovery.finished event of recovery {@code id}, if it arrived. */
    private static LoggedRequest finishedEvent(String id) {
        return OperationalEventsSeen.of("recovery.finished", "recovered").stream()
                .filter(e -> WebhookReceiver.json(e).at("/data/recoveryId").asText().equals(id)).findFirst()
                .orElse(null);
    }

    private JsonNode recovery(String id) {
        Api.Reply reply = api.get("/api/v1/admin/recoveries/" + id, KEY);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.data();
    }

    private List<JsonNode> search(String query) {
        Api.Reply reply = api.get("/api/v1/admin/deliveries" + query, KEY);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<JsonNode> results = new ArrayList<>();
        reply.json().get("results").forEach(results::add);
        return results;
    }
}
