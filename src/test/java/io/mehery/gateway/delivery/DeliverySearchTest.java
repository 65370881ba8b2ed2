package io.mehery.gateway.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.WebhookReceiver;

/** Delivery search over the real HTTP API: each filter, the scope of each key, paging while callbacks are planned. */
class DeliverySearchTest extends GatewayTestSupport {

    private static final WebhookReceiver RECEIVER = new WebhookReceiver();
    private static final String SEARCH = "/api/v1/admin/deliveries";
    private static final String KEY = "searched-key";
    private static final List<JsonNode> RECEIPTS = new ArrayList<>();
    private static Instant before;
    private static Instant after;

    /** Once for the class: three contacts write, and their six callbacks are delivered. */
    @BeforeEach
    void threeContactsHaveWrittenAndTheirCallbacksAreDelivered() {
        if (before != null) {
            return;
        }
        RECEIVER.answerAll("searched", aResponse().withStatus(200));
        assertThat(api.post("/api/v1/config/webhook", KEY, "{\"url\":\"" + RECEIVER.baseUrl("searched") + "\"}")
                .status()).isEqualTo(200);
        Instant start = Instant.now();
        for (int i = 1; i <= 3; i++) {
            RECEIPTS.add(api.sandboxText("searched-sandbox", KEY, "+1555770000" + i, "hello " + i));
        }
        await().atMost(Duration.ofSeconds(15))
                .until(() -> RECEIVER.received("searched", MESSAGE_RECEIVE).size() == 3);
        await().atMost(Duration.ofSeconds(15)).until(() -> search("?status=DELIVERED", api).size() == 6);
        after = Instant.now();
        before = start;
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void eachFilterFindsWhatItNames() {
        JsonNode first = RECEIPTS.get(0);
        List<JsonNode> ofMessage = ofTheThree("messageId=" + first.get("id").asText());
        // a new contact's first message: its contact/info callback, then the message itself
        assertThat(ofMessage).extracting(d -> d.get("kind").asText())
                .containsExactly("message.receive", "contact.info");
        JsonNode delivery = ofMessage.get(0);
        assertThat(delivery.get("status").asText()).isEqualTo("DELIVERED");
        assertThat(delivery.get("tenantId").asText()).isEqualTo("searched");
        JsonNode attempt = delivery.at("/attempts/0");
        assertThat(attempt.get("statusCode").asInt()).isEqualTo(200);
        assertThat(attempt.get("instance").asText()).isNotBlank();
        assertThat(attempt.get("latencyMs").asLong()).isGreaterThanOrEqualTo(0);

        assertThat(delivery.get("webhookId").asText()).isEqualTo(delivery.get("id").asText());
        assertThat(ofTheThree("webhookId=" + delivery.get("id").asText())).hasSize(1);
        Api.Reply one = api.get(SEARCH + "/" + delivery.get("id").asText(), KEY);
        assertThat(one.status()).as(one.body()).isEqualTo(200);
        assertThat(one.data().get("status").asText()).isEqualTo("DELIVERED");
        assertThat(one.data().get("attempts")).hasSize(1);
        assertThat(api.get(SEARCH + "/" + delivery.get("id").asText() + "?tenant=searched", ADMIN_KEY).status())
                .isEqualTo(200);
        assertThat(api.get(SEARCH + "/" + delivery.get("id").asText(), "calm-key").status())
                .as("another tenant's delivery").isEqualTo(404);
        assertThat(api.get(SEARCH + "/msg_none", KEY).errorCode()).isEqualTo("DELIVERY_NOT_FOUND");
        assertThat(ofTheThree("contactId=" + first.get("contactId").asText())).hasSize(2);
        assertThat(ofTheThree("kind=contact.info")).hasSize(3);
        assertThat(ofTheThree("statusClass=2xx")).hasSize(6);
        assertThat(ofTheThree("statusClass=5xx")).isEmpty();
        assertThat(ofTheThree("status=DEAD")).isEmpty();
        assertThat(ofTheThree("from=" + before)).hasSize(6);
        assertThat(search("?to=" + before, api)).isEmpty();
        assertThat(search("?attemptedTo=" + before, api)).isEmpty();
        assertThat(ofTheThree("attemptedFrom=" + before + "&kind=message.receive")).hasSize(3);
    }

    @Test
    void aMessagesTimelineShowsItsAcceptanceItsCallbacksAndEveryAttemptInTimeOrder() {
        String id = RECEIPTS.get(0).get("id").asText();
        Api.Reply reply = api.get("/api/v1/admin/messages/" + id + "/timeline", KEY);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode timeline = reply.data().get("timeline");
        assertThat(reply.data().get("direction").asText()).isEqualTo("inbound");
        assertThat(timeline.get(0).get("event").asText()).isEqualTo("accepted");
        List<JsonNode> entries = new ArrayList<>();
        timeline.forEach(entries::add);
        assertThat(entries).extracting(e -> e.get("at").asLong()).isSorted();
        // a new contact's first message: its contact/info callback and the message itself, each planned and attempted
        for (String kind : List.of("contact.info", "message.receive")) {
            JsonNode planned = entries.stream().filter(e -> e.get("event").asText().equals("callback.planned")
                    && e.get("kind").asText().equals(kind)).findFirst().orElseThrow();
            assertThat(planned.get("detail").asText()).isEqualTo("DELIVERED");
            JsonNode attempt = entries.stream().filter(e -> e.get("event").asText().equals("callback.attempt")
                    && e.get("webhookId").asText().equals(planned.get("webhookId").asText())).findFirst()
                    .orElseThrow();
            assertThat(attempt.get("statusCode").asInt()).isEqualTo(200);
            assertThat(attempt.get("attempt").asInt()).isEqualTo(1);
            assertThat(attempt.get("at").asLong()).isGreaterThanOrEqualTo(planned.get("at").asLong());
        }
        assertThat(api.get("/api/v1/admin/messages/" + id + "/timeline?tenant=searched", ADMIN_KEY).status())
                .isEqualTo(200);
        Api.Reply others = api.get("/api/v1/admin/messages/" + id + "/timeline", "calm-key");
        assertThat(others.status()).as("another tenant's message").isEqualTo(404);
        assertThat(others.errorCode()).isEqualTo("MESSAGE_NOT_FOUND");
    }

    /**
     * Each shape of search pages in its own order (a window of creation by creation time, a status class by its
     * attempts, else by seq), and none is shifted by callbacks planned while it pages.
     */
    @Test
    void pagesNewestFirstAreNotShiftedByCallbacksPlannedMeanwhile() throws Exception {
        int round = 0;
        for (String filter : List.of("", "&from=" + before, "&statusClass=2xx")) {
            // the last pass's callbacks delivered first: a status class is a callback's to change until then
            await().atMost(Duration.ofSeconds(15)).until(() -> search("?status=PENDING", api).isEmpty());
            List<String> all = search("?limit=200" + filter, api).stream().map(d -> d.get("id").asText()).toList();
            int writes = round++;
            ExecutorService writers = Executors.newSingleThreadExecutor();
            try {
                Future<?> writing = writers.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        api.sandboxText("searched-sandbox", KEY, "+155577" + writes + "000" + i, "meanwhile " + i);
                    }
                });
                List<String> paged = new ArrayList<>();
                String cursor = null;
                do {
                    Api.Reply page = api.get(SEARCH + "?limit=2" + filter + (cursor == null ? "" : "&cursor="
                            + cursor), KEY);
                    assertThat(page.status()).as(page.body()).isEqualTo(200);
                    page.json().get("results").forEach(d -> paged.add(d.get("id").asText()));
                    JsonNode next = page.json().at("/meta/nextCursor");
                    cursor = next.isMissingNode() || next.isNull() ? null : next.asText();
                } while (cursor != null && paged.size() < all.size() + 20);
                writing.get();
                // the first page may show callbacks planned before it was read; from there on, every one once, in
                // order
                assertThat(paged.subList(paged.indexOf(all.get(0)), paged.size())).as(filter)
                        .containsExactlyElementsOf(all);
            } finally {
                writers.shutdownNow();
            }
        }
    }

    @Test
    void aTenantSearchesItsOwnTheOperatorEveryTenants() {
        assertThat(search("", api, "calm-key")).noneMatch(d -> d.get("tenantId").asText().equals("searched"));
        assertThat(api.get(SEARCH + "?tenant=calm", KEY).errorCode()).isEqualTo("TENANT_NOT_YOURS");
        assertThat(search("?tenant=searched&kind=message.receive&to=" + after, api, ADMIN_KEY)).hasSize(3);
        assertThat(search("?messageId=" + RECEIPTS.get(1).get("id").asText(), api, ADMIN_KEY)).hasSize(2);
        assertThat(api.get(SEARCH, null).status()).isEqualTo(401);
        assertThat(api.get(SEARCH, "no-such-key").status()).isEqualTo(401);
    }

    @Test
    void pausedDeliveriesAreHeldWithoutAttemptsAndResumedInEachContactsOrder() {
        RECEIVER.answerAll("paused", aResponse().withStatus(200));
        assertThat(api.post("/api/v1/config/webhook", "paused-key", "{\"url\":\"" + RECEIVER.baseUrl("paused")
                + "\"}").status()).isEqualTo(200);
        Api.Reply paused = api.post("/api/v1/admin/webhook/pause", "paused-key", "{\"reason\":\"CRM upgrade\"}");
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(paused.data().at("/value/state").asText()).isEqualTo("paused");
        assertThat(paused.data().at("/value/reason").asText()).isEqualTo("CRM upgrade");
        assertThat(paused.data().at("/value/since").asLong()).isPositive();

        api.sandboxText("paused-sandbox", "paused-key", "+15557720001", "first");
        api.sandboxText("paused-sandbox", "paused-key", "+15557720001", "second");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> RECEIVER.received("paused", MESSAGE_RECEIVE).isEmpty());
        List<JsonNode> held = search("?status=held", api, "paused-key");
        assertThat(held).hasSize(3).allSatisfy(d -> assertThat(d.get("attempts")).isEmpty());
        assertThat(search("?status=WAITING", api, "paused-key")).isEmpty();
        assertThat(api.get("/api/v1/config/webhook", "paused-key").data().at("/value/state").asText())
                .isEqualTo("paused");

        Api.Reply resumed = api.post("/api/v1/admin/webhook/resume?tenant=paused", ADMIN_KEY, "");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.data().at("/value/state").asText()).isEqualTo("active");
        await().atMost(Duration.ofSeconds(15)).until(() -> RECEIVER.received("paused", MESSAGE_RECEIVE).size() == 2);
        assertThat(RECEIVER.received("paused", MESSAGE_RECEIVE))
                .extracting(r -> WebhookReceiver.json(r).at("/messages/0/text/body").asText())
                .containsExactly("first", "second");
        await().atMost(Duration.ofSeconds(15)).until(() -> search("?status=DELIVERED", api, "paused-key").size() == 3);
        assertThat(search("?status=DELIVERED", api, "paused-key"))
                .allSatisfy(d -> assertThat(d.get("attempts")).hasSize(1));
    }

    @Test
    void theOperatorNamesTheTenantItPausesAndATenantWithoutWebhookHasNothingToPause() {
        assertThat(api.post("/api/v1/admin/webhook/pause", ADMIN_KEY, "").errorCode())
                .isEqualTo("TENANT_REQUIRED");
        assertThat(api.post("/api/v1/admin/webhook/pause?tenant=calm", "searched-key", "").errorCode())
                .isEqualTo("TENANT_NOT_YOURS");
        assertThat(api.post("/api/v1/admin/webhook/pause?tenant=no-webhook-yet", ADMIN_KEY, "").status())
                .isEqualTo(404);
        assertThat(api.post("/api/v1/admin/webhook/pause", null, "").status()).isEqualTo(401);
    }

    @Test
    void prometheusShowsEachTenantsWebhookLatencyByOutcomeAndItsBacklog() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(api.get("/actuator/prometheus", null)
                .body()).containsPattern("mehery_callbacks_attempts_seconds_count\\{[^}]*outcome=\"2xx\""
                        + "[^}]*tenant=\"searched\"[^}]*} [1-9]")
                .containsPattern("mehery_callbacks_backlog\\{[^}]*tenant=\"searched\"[^}]*} 0")
                .containsPattern("mehery_callbacks_oldest_pending_age_seconds\\{[^}]*tenant=\"searched\""));
    }

    @Test
    void aBadFilterIsRefusedWithItsField() {
        Api.Reply cursor = api.get(SEARCH + "?cursor=bm90LW91cnM", KEY);
        assertThat(cursor.status()).isEqualTo(400);
        assertThat(cursor.errorCode()).isEqualTo("INVALID_CURSOR");
        assertThat(api.get(SEARCH + "?from=yesterday", KEY).status()).isEqualTo(400);
        assertThat(api.get(SEARCH + "?status=LOST", KEY).errorFields()).contains("status");
        assertThat(api.get(SEARCH + "?limit=1000", KEY).errorFields()).contains("limit");
    }

    /** The deliveries among the first three contacts' callbacks that match {@code filters}. */
    private List<JsonNode> ofTheThree(String filters) {
        return search("?" + filters + "&to=" + after, api);
    }

    private static List<JsonNode> search(String query, Api api) {
        return search(query, api, KEY);
    }

    private static List<JsonNode> search(String query, Api api, String key) {
        Api.Reply reply = api.get(SEARCH + query, key);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<JsonNode> results = new ArrayList<>();
        reply.json().get("results").forEach(results::add);
        return results;
    }
}
