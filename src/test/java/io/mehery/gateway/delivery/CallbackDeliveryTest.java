package io.mehery.gateway.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.mehery.gateway.WebhookReceiver.ACTION_EVENT;
import static io.mehery.gateway.WebhookReceiver.CONTACT_INFO;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.OperationalEventsSeen;
import io.mehery.gateway.WebhookReceiver;
import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.DeliveryStore;

/**
 * Inbound events reach each tenant's webhook as the Mehery callbacks: signed, retried on the schedule
 * (0s,300ms,300ms,300ms in the tests), dead-lettered, replayable. Each test has a tenant of its own.
 */
class CallbackDeliveryTest extends GatewayTestSupport {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final WebhookReceiver receiver = new WebhookReceiver();
    static final Duration PATIENCE = Duration.ofSeconds(15);

    @Autowired
    private WebhookCalls webhookCalls;
    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DeliveryStore deliveryStore;

    @Autowired
    CallbackDeliveries callbackDeliveries;

    @Autowired
    CamelContext camel;

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void aFirstMessageIsAnnouncedByContactInfoThenDeliveredSigned() throws Exception {
        receiver.answerAll("signed", aResponse().withStatus(200));
        setWebhook("signed");

        JsonNode receipt = userWrites("signed", "+15551230001", "Hi there");

        await().atMost(PATIENCE).until(() -> receiver.received("signed", MESSAGE_RECEIVE).size() == 1);
        LoggedRequest info = receiver.received("signed", CONTACT_INFO).get(0);
        LoggedRequest message = receiver.received("signed", MESSAGE_RECEIVE).get(0);
        assertThat(info.getLoggedDate()).isBeforeOrEqualTo(message.getLoggedDate());
        for (LoggedRequest callback : List.of(info, message)) {
            assertThat(callback.getHeader("x-verify-token")).isEqualTo("signed-verify-token");
            assertThat(callback.getHeader("webhook-id")).startsWith("msg_");
            assertThat(WebhookReceiver.signedBy(SECRET, callback)).isTrue();
            assertThat(callback.getHeader("x-api-key")).isNull();
            assertThat(callback.getHeader("breadcrumbId")).isNull();
            assertThat(callback.getHeader("X-Trace-Id")).isNotBlank();
        }
        assertThat(WebhookReceiver.json(info).get("contactId").asText()).isEqualTo(receipt.get("contactId").asText());
        assertThat(WebhookReceiver.json(info).at("/profile/name").asText()).isEqualTo("Ann");

        JsonNode body = WebhookReceiver.json(message);
        assertThat(body.get("actions")).isEmpty();
        assertThat(body.at("/contacts/0/csid").asText()).isEqualTo("+15551230001");
        JsonNode m = body.at("/messages/0");
        assertThat(m.get("id").asText()).isEqualTo(receipt.get("id").asText());
        assertThat(m.get("type").asText()).isEqualTo("text");
        assertThat(m.at("/text/body").asText()).isEqualTo("Hi there");
        assertThat(m.at("/session/sessionId").asText()).isEqualTo(receipt.get("sessionId").asText());
        assertThat(m.get("from").asText()).isEqualTo("+15551230001");
        assertThat(m.get("tags").isObject()).isTrue();

        // a tampered body no longer matches its signature
        assertThat(WebhookReceiver.signatureMatches(SECRET, message.getHeader("webhook-id"),
                message.getHeader("webhook-timestamp"), message.getHeader("webhook-signature"),
                message.getBodyAsString().replace("Hi there", "Hi thEre"))).isFalse();
    }

    @Test
    void aMessageInTheCallersTraceIsCalledBackInThatTraceAndItsSpansAreExported() {
        receiver.answerAll("traced", aResponse().withStatus(200));
        setWebhook("traced");
        String traceId = "0af7651916cd43dd8448eb211c80319c";

        var reply = api.send(api.request("/webhooks/dummy/traced-sandbox", "traced-key")
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"from\":\"+15551230099\",\"type\":\"text\",\"text\":{\"body\":\"traced\"}}")));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.response().headers().firstValue("X-Trace-Id")).contains(traceId);
        await().atMost(PATIENCE).until(() -> receiver.received("traced", MESSAGE_RECEIVE).stream()
                .anyMatch(r -> r.getBodyAsString().contains("+15551230099")));
        LoggedRequest callback = receiver.received("traced", MESSAGE_RECEIVE).stream()
                .filter(r -> r.getBodyAsString().contains("+15551230099")).findFirst().orElseThrow();
        assertThat(callback.getHeader("traceparent")).as("a span of its own in the caller's trace")
                .matches("00-" + traceId + "-[0-9a-f]{16}-01").doesNotContain("b7ad6b7169203331");
        assertThat(callback.getHeader("X-Trace-Id")).isEqualTo(traceId);
        // exported over OTLP: the gateway's span of the request (under the caller's span) and the callback's span,
        // whose id is the one the webhook was told
        String callbackSpan = callback.getHeader("traceparent").split("-")[2];
        await().atMost(PATIENCE).until(() -> exportedSpansHold(traceId, "b7ad6b7169203331", callbackSpan));
    }

    @Test
    void theContactInfoAnswerIsMergedIntoTheContactForLaterCallbacksAndHistory() {
        receiver.answerAll("merge", aResponse().withStatus(200));
        receiver.answer("merge", CONTACT_INFO, aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"profileId":"crm-0042","name":"Ann Smith","email":"ann@example.com",
                         "labels":[{"key":"tier","value":"gold"}]}"""));
        setWebhook("merge");

        JsonNode receipt = userWrites("merge", "+15551230002", "first");
        await().atMost(PATIENCE).until(() -> receiver.received("merge", MESSAGE_RECEIVE).size() == 1);
        userWrites("merge", "+15551230002", "second");
        await().atMost(PATIENCE).until(() -> receiver.received("merge", MESSAGE_RECEIVE).size() == 2);

        assertThat(receiver.received("merge", CONTACT_INFO)).hasSize(1);
        for (LoggedRequest callback : receiver.received("merge", MESSAGE_RECEIVE)) {
            JsonNode contact = WebhookReceiver.json(callback).at("/contacts/0");
            assertThat(contact.get("profileId").asText()).isEqualTo("crm-0042");
            assertThat(contact.at("/profile/name").asText()).isEqualTo("Ann Smith");
            assertThat(contact.at("/profile/email").asText()).isEqualTo("ann@example.com");
        }
        var history = api.get("/api/v1/session/messages?sessionId=" + receipt.get("sessionId").asText(),
                "merge-key");
        assertThat(history.data().at("/contact/profileId").asText()).isEqualTo("crm-0042");
        assertThat(history.data().at("/contact/name").asText()).isEqualTo("Ann Smith");
    }

    @Test
    void aChosenActionIsDeliveredAsAnActionEvent() {
        receiver.answerAll("calm", aResponse().withStatus(200));
        setWebhook("calm");

        var reply = api.post("/webhooks/dummy/calm-sandbox", "calm-key", """
                {"from":"+15551230003","type":"text","text":{"body":"Yes, confirm"},"action":{"actionCode":"CONFIRM"}}
                """);

        assertThat(reply.status()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> receiver.received("calm", ACTION_EVENT).size() == 1);
        JsonNode action = WebhookReceiver.json(receiver.received("calm", ACTION_EVENT).get(0));
        assertThat(action.get("actionCode").asText()).isEqualTo("CONFIRM");
        assertThat(action.get("messageId").asText()).isEqualTo(reply.data().get("id").asText());
        assertThat(action.get("sessionId").asText()).isEqualTo(reply.data().get("sessionId").asText());
        assertThat(action.at("/contact/csid").asText()).isEqualTo("+15551230003");
    }

    /**
     * What a kill -9 can leave after the database's commit of an attempt: contact/info recorded as delivered, its
     * order handed over again (the broker never heard it was done), message/receive never made. The order handed
     * over again sends it on (it was once dropped as done, and message/receive waited forever).
     */
    @Test
    void anOrderHandedOverAgainAfterItsAttemptWasDeliveredSendsOnTheCallbackThatFollows() {
        receiver.answerAll("calm", aResponse().withStatus(200));
        setWebhook("calm");
        JsonNode receipt = userWrites("calm", "+15551230033", "a new contact");
        await().atMost(PATIENCE).until(() -> receiver.received("calm", MESSAGE_RECEIVE).stream()
                .anyMatch(r -> r.getBodyAsString().contains(receipt.get("id").asText())));

        // contact/info: the one callback of the contact that another follows
        String infoId = jdbc.queryForObject("SELECT id FROM delivery WHERE tenant_id = 'calm' AND contact_id = ? AND"
                + " then_delivery_id IS NOT NULL", String.class, receipt.get("contactId").asText());
        DeliveryRecord info = deliveryStore.find(infoId).orElseThrow();
        jdbc.update("DELETE FROM delivery_attempt WHERE delivery_id = ?", info.thenDeliveryId());
        jdbc.update("UPDATE delivery SET status = 'PENDING', attempts = 0, claimed_by = NULL, claimed_at = NULL,"
                + " delivered_at = NULL WHERE id = ?", info.thenDeliveryId());
        receiver.reset();
        receiver.answerAll("calm", aResponse().withStatus(200));

        DeliveryOrder handedOverAgain = new DeliveryOrder(info.id(), "calm", 1, false, 0, info.claimedBy());
        callbackDeliveries.prepare(handedOverAgain);
        await().atMost(PATIENCE).until(() -> receiver.received("calm", MESSAGE_RECEIVE).stream()
                .anyMatch(r -> r.getBodyAsString().contains(receipt.get("id").asText())));
    }

    /**
     * A callback left pending with no order on its way (what a lost order leaves: 0 attempts, no claim, due long
     * ago) is found by the recovery and delivered, with its webhook-id.
     */
    @Test
    void aCallbackWhoseOrderWentMissingIsFoundAndDelivered() throws Exception {
        String id = deliveredMessageReceive("+15551230044", "an order that went missing");
        long longAgo = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        jdbc.update("DELETE FROM delivery_attempt WHERE delivery_id = ?", id);
        jdbc.update("UPDATE delivery SET status = 'PENDING', attempts = 0, round_start = 0, claimed_at = NULL,"
                + " claimed_by = NULL, delivered_at = NULL, next_attempt_at = ? WHERE id = ?", longAgo, id);

        recoveredAtItsFirstAttemptAndDeliveredAgain(id);
    }

    @Test
    void aWebhookFailingTwiceGetsTheCallbackOnTheThirdAttemptWithTheSameWebhookId() {
        receiver.answerAll("flaky", aResponse().withStatus(200));
        receiver.failThenSucceed("flaky", MESSAGE_RECEIVE, 2, aResponse().withStatus(500));
        setWebhook("flaky");

        userWrites("flaky", "+15551230004", "are you there?");

        await().atMost(PATIENCE).until(() -> delivered("flaky").size() == 2);
        List<LoggedRequest> tries = receiver.received("flaky", MESSAGE_RECEIVE);
        assertThat(tries).hasSize(3);
        assertThat(tries).extracting(r -> r.getHeader("webhook-id")).containsOnly(tries.get(0).getHeader("webhook-id"));
        assertThat(tries).extracting(LoggedRequest::getBodyAsString).containsOnly(tries.get(0).getBodyAsString());
        JsonNode message = delivered("flaky", "message.receive");
        assertThat(message.get("id").asText()).isEqualTo(tries.get(0).getHeader("webhook-id"));
        assertThat(message.get("attempts")).extracting(a -> a.get("statusCode").asInt()).containsExactly(500, 500, 200);
        assertThat(api.get("/actuator/prometheus", null).body())
                .containsPattern("mehery_callbacks_retried_total\\{.*tenant=\"flaky\".*\\} 2.0")
                .contains("mehery_callbacks_lag_seconds_bucket");
    }

    @Test
    void aWebhookDownForTheWholeScheduleMakesADeadLetterThatAReplayDeliversOnce() {
        receiver.answerAll("dead", aResponse().withStatus(503));
        setWebhook("dead");
        userWrites("dead", "+15551230005", "hello?");

        await().atMost(PATIENCE).until(() -> deadLetters("dead").size() == 2);
        JsonNode dead = deadLetters("dead").get(0);
        assertThat(dead.get("attempts")).hasSize(4);
        assertThat(receiver.received("dead", CONTACT_INFO).size() + receiver.received("dead", MESSAGE_RECEIVE).size())
                .as("one request per attempt").isEqualTo(8);
        assertThat(dead.get("lastError").asText()).isEqualTo("HTTP 503");
        assertThat(dead.get("payload").isObject()).isTrue();
        String webhookId = dead.get("id").asText();
        assertThat(api.post("/api/v1/admin/dead-letters/" + webhookId + "/replay", "calm-key", "").status())
                .as("another tenant cannot replay it").isEqualTo(404);

        receiver.reset();
        receiver.answerAll("dead", aResponse().withStatus(200));
        var one = api.postOnce("/api/v1/admin/dead-letters/" + webhookId + "/replay", "dead-key", "replay-" + webhookId,
                "");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.data().get("id").asText()).isEqualTo(webhookId);
        assertThat(one.json().at("/meta/replayed").asInt()).isEqualTo(1);
        var all = api.post("/api/v1/admin/dead-letters/replay", "dead-key", "");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().at("/meta/replayed").asInt()).isPositive()
                .isEqualTo(all.json().get("results").size());

        await().atMost(PATIENCE).until(() -> delivered("dead").size() == 2);
        List<LoggedRequest> got = receiver.received("dead", CONTACT_INFO);
        got.addAll(receiver.received("dead", MESSAGE_RECEIVE));
        assertThat(got).extracting(r -> r.getHeader("webhook-id")).doesNotHaveDuplicates().contains(webhookId)
                .hasSize(2);
        assertThat(deadLetters("dead")).isEmpty();
        assertThat(api.post("/api/v1/admin/dead-letters/" + webhookId + "/replay", "dead-key", "").status())
                .as("a delivered callback is not a dead letter").isEqualTo(409);
        // the replay retried with its Idempotency-Key: the first answer again, and no second call
        var again = api.postOnce("/api/v1/admin/dead-letters/" + webhookId + "/replay", "dead-key",
                "replay-" + webhookId, "");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.data()).isEqualTo(one.data());
        assertThat(again.json().at("/meta/replayed").asInt()).isEqualTo(1);
        await().during(Duration.ofMillis(500)).atMost(PATIENCE).untilAsserted(() -> assertThat(
                receiver.received("dead", CONTACT_INFO).size() + receiver.received("dead", MESSAGE_RECEIVE).size())
                .isEqualTo(2));
    }

    @Test
    void aWebhookSlowerThanTheTimeoutIsTriedAgain() {
        receiver.answerAll("slow", aResponse().withStatus(200));
        receiver.failThenSucceed("slow", MESSAGE_RECEIVE, 1, aResponse().withStatus(200).withFixedDelay(2_500));
        setWebhook("slow");

        userWrites("slow", "+15551230006", "tick");

        await().atMost(PATIENCE).until(() -> delivered("slow").size() == 2);
        JsonNode message = delivered("slow", "message.receive");
        assertThat(message.at("/attempts/0/error").asText()).containsIgnoringCase("timeout");
        assertThat(message.at("/attempts/1/statusCode").asInt()).isEqualTo(200);
    }

    @Test
    void eventsWaitForAWebhookAndFlowOnceItIsSet() {
        userWrites("idle", "+15551230007", "anyone?");
        await().atMost(PATIENCE).until(() -> log("idle", "WAITING").size() == 2);

        receiver.answerAll("idle", aResponse().withStatus(200));
        setWebhook("idle");

        await().atMost(PATIENCE).until(() -> receiver.received("idle", MESSAGE_RECEIVE).size() == 1);
        assertThat(receiver.received("idle", CONTACT_INFO)).hasSize(1);
        assertThat(log("idle", "WAITING")).isEmpty();
    }

    @Test
    void aContactThatAMessageSendCreatedIsAnnouncedByContactInfo() {
        receiver.answerAll("calm", aResponse().withStatus(200));
        setWebhook("calm");
        String phone = "+15551230099";

        var sent = api.post("/api/v1/message/send", "calm-key", "{\"channelId\":\"calm-sandbox\",\"to\":{\"phone\":\""
                + phone + "\",\"name\":\"Zoe\"},\"type\":\"text\",\"text\":{\"body\":\"welcome\"}}");
        var again = api.post("/api/v1/message/send", "calm-key", "{\"channelId\":\"calm-sandbox\",\"to\":{\"phone\":\""
                + phone + "\"},\"type\":\"text\",\"text\":{\"body\":\"still there?\"}}");

        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> receiver.received("calm", CONTACT_INFO).stream()
                .anyMatch(r -> r.getBodyAsString().contains(phone)));
        assertThat(receiver.received("calm", CONTACT_INFO).stream().filter(r -> r.getBodyAsString().contains(phone)))
                .as("once: the second send finds the contact").hasSize(1);
        assertThat(receiver.received("calm", MESSAGE_RECEIVE).stream()
                .filter(r -> r.getBodyAsString().contains(phone))).as("a send is no message received").isEmpty();
    }

    @Test
    void goneDisablesTheWebhookUntilItIsSetAgain() throws Exception {
        receiver.answerAll("gone", aResponse().withStatus(410));
        setWebhook("gone");

        userWrites("gone", "+15551230008", "knock knock");
        await().atMost(PATIENCE).until(() -> log("gone", "WAITING").size() == 2);
        assertThat(receiver.received("gone", CONTACT_INFO)).hasSize(1);
        assertThat(receiver.received("gone", MESSAGE_RECEIVE)).isEmpty();
        var shown = api.get("/api/v1/config/webhook", "gone-key").data().get("value");
        assertThat(shown.get("url").asText()).isEqualTo(receiver.baseUrl("gone"));
        assertThat(shown.get("disabled").asBoolean()).isTrue();
        assertThat(shown.get("disabledReason").asText()).contains("410 Gone");
        await().atMost(PATIENCE).until(() -> OperationalEventsSeen.of("webhook.disabled", "gone").size() == 1);
        LoggedRequest disabled = OperationalEventsSeen.of("webhook.disabled", "gone").get(0);
        assertThat(WebhookReceiver.signedBy(OPERATIONS_SECRET, disabled)).as("signed for the operator").isTrue();
        assertThat(WebhookReceiver.json(disabled).at("/data/url").asText()).isEqualTo(receiver.baseUrl("gone"));

        receiver.reset();
        receiver.answerAll("gone", aResponse().withStatus(200));
        setWebhook("gone");

        await().atMost(PATIENCE).until(() -> delivered("gone").size() == 2);
        assertThat(receiver.received("gone", MESSAGE_RECEIVE)).hasSize(1);
        assertThat(api.get("/api/v1/config/webhook", "gone-key").data().at("/value/disabled").asBoolean()).isFalse();
        await().atMost(PATIENCE).until(() -> OperationalEventsSeen.of("webhook.enabled", "gone").size() == 1);
    }

    @Test
    void aRedirectIsAFailedAttemptNeverFollowed() {
        receiver.answerAll("moved", aResponse().withStatus(200));
        receiver.failThenSucceed("moved", MESSAGE_RECEIVE, 1, aResponse().withStatus(302)
                .withHeader("Location", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"));
        setWebhook("moved");

        userWrites("moved", "+15551230010", "where did you go?");

        await().atMost(PATIENCE).until(() -> delivered("moved").size() == 2);
        JsonNode message = delivered("moved", "message.receive");
        assertThat(message.get("attempts")).extracting(a -> a.get("statusCode").asInt()).containsExactly(302, 200);
        assertThat(receiver.received("moved", MESSAGE_RECEIVE)).hasSize(2);
    }

    @Test
    void retryAfterIsHonouredOnTooManyRequests() {
        receiver.answerAll("busy", aResponse().withStatus(200));
        receiver.failThenSucceed("busy", MESSAGE_RECEIVE, 1,
                aResponse().withStatus(429).withHeader("Retry-After", "2"));
        setWebhook("busy");

        userWrites("busy", "+15551230009", "queue me");

        await().atMost(PATIENCE).until(() -> delivered("busy").size() == 2);
        JsonNode message = delivered("busy", "message.receive");
        assertThat(message.at("/attempts/0/statusCode").asInt()).isEqualTo(429);
        long first = message.at("/attempts/0/attemptedAt").asLong();
        long second = message.at("/attempts/1/attemptedAt").asLong();
        assertThat(second - first).as("waited as asked, not the 300 ms of the schedule").isGreaterThanOrEqualTo(2_000);
    }

    @Test
    void aHangingWebhookOfOneTenantDoesNotDelayAnother() {
        receiver.answerAll("stuck", aResponse().withStatus(200).withFixedDelay(5_000));
        setWebhook("stuck");
        for (int i = 0; i < 8; i++) {
            userWrites("stuck", "+1555124000" + i, "pile up " + i);
        }
        receiver.answerAll("calm", aResponse().withStatus(200));
        setWebhook("calm");

        JsonNode receipt = userWrites("calm", "+15551240100", "on time?");

        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.received("calm", MESSAGE_RECEIVE).stream()
                .anyMatch(r -> r.getBodyAsString().contains(receipt.get("id").asText())));
    }

    /**
     * A webhook that answers each callback slowly has many of them under way at once (more than its tenant's queue
     * has consumers: none holds a thread while it waits), and another tenant's callback goes meanwhile.
     */
    @Test
    void aSlowWebhookHasManyCallbacksUnderWayAtOnceAndHoldsUpNoOtherTenant() {
        int contacts = 40;
        for (int i = 0; i < contacts; i++) {
            userWrites("leisurely", "+155512500" + String.format("%02d", i), "take your time " + i);
        }
        // they waited for the webhook: all go at once
        receiver.answerAll("leisurely", aResponse().withStatus(200).withFixedDelay(400));
        setWebhook("leisurely");
        await().atMost(PATIENCE).until(() -> webhookCalls.underWay("leisurely") >= 20);

        receiver.answerAll("calm", aResponse().withStatus(200));
        setWebhook("calm");
        JsonNode receipt = userWrites("calm", "+15551250100", "beside the slow one");
        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.received("calm", MESSAGE_RECEIVE).stream()
                .anyMatch(r -> r.getBodyAsString().contains(receipt.get("id").asText())));
        // at least once each: a call the receiver answers later than the timeout is made again
        await().atMost(PATIENCE).until(() -> webhookIds("leisurely", MESSAGE_RECEIVE).size() == contacts);
        assertThat(webhookIds("leisurely", CONTACT_INFO)).hasSize(contacts);
    }

    /**
     * A contact's first callback leaves with the write that accepted its event: that write claimed it, so no order
     * went through the outbox and the queue for it.
     */
    @Test
    void aContactsFirstCallbackIsClaimedByTheWriteThatAcceptedItsEvent() {
        receiver.answerAll("calm", aResponse().withStatus(200));
        setWebhook("calm");
        JsonNode receipt = userWrites("calm", "+15551230066", "straight from the accept");
        await().atMost(PATIENCE).until(() -> receiver.received("calm", MESSAGE_RECEIVE).stream()
                .anyMatch(r -> r.getBodyAsString().contains(receipt.get("id").asText())));

        DeliveryRecord info = deliveryStore.find(jdbc.queryForObject("SELECT id FROM delivery WHERE contact_id = ?"
                + " AND then_delivery_id IS NOT NULL", String.class, receipt.get("contactId").asText())).orElseThrow();
        assertThat(info.claimedBy()).as("claimed by an order of the accept's own").isNotNull();
        assertThat(deliveryStore.attempts(List.of(info)).get(info.id())).singleElement()
                .satisfies(attempt -> assertThat(attempt.attemptedAt()).isGreaterThanOrEqualTo(info.createdAt()));
        assertThat(info.payload()).as("the payload it was sent with, kept for any replay")
                .contains("\"csid\":\"+15551230066\"");
        assertThat(info.status()).isEqualTo(DeliveryRecord.Status.DELIVERED);
    }

    /**
     * What a process that died between the accept's commit and the hand-off leaves: a first callback claimed, no
     * attempt recorded, no payload, no order anywhere. Once the claim's lease ran out the recovery takes it over and
     * delivers it with its webhook-id.
     */
    @Test
    void aHandOffLostWithItsProcessIsTakenOverOnceItsClaimsLeaseRanOut() throws Exception {
        String id = deliveredMessageReceive("+15551230077", "a hand-off that was lost");
        long longAgo = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        jdbc.update("DELETE FROM delivery_attempt WHERE delivery_id = ?", id);
        jdbc.update("UPDATE delivery SET status = 'PENDING', attempts = 1, round_start = 0, claimed_at = ?,"
                + " claimed_by = 'a-lost-hand-off', payload = NULL, delivered_at = NULL, next_attempt_at = ?"
                + " WHERE id = ?", longAgo, longAgo, id);

        // the claimed attempt, taken over
        recoveredAtItsFirstAttemptAndDeliveredAgain(id);
    }

    /** A user's message delivered to tenant calm's webhook: the id of its message/receive callback. */
    private String deliveredMessageReceive(String from, String text) {
        receiver.answerAll("calm", aResponse().withStatus(200));
        setWebhook("calm");
        JsonNode receipt = userWrites("calm", from, text);
        await().atMost(PATIENCE).until(() -> receiver.received("calm", MESSAGE_RECEIVE).stream()
                .anyMatch(r -> r.getBodyAsString().contains(receipt.get("id").asText())));
        return jdbc.queryForObject("SELECT id FROM delivery WHERE message_id = ? AND then_delivery_id IS NULL",
                String.class, receipt.get("id").asText());
    }

    /**
     * The recovery finds the callback and orders its first attempt; sent on, the callback reaches the webhook a
     * second time, with its webhook-id, and is delivered.
     */
    private void recoveredAtItsFirstAttemptAndDeliveredAgain(String id) throws Exception {
        List<DeliveryOrder> recovered = callbackDeliveries.stalled();
        assertThat(recovered).extracting(DeliveryOrder::deliveryId).contains(id);
        assertThat(recovered).filteredOn(o -> o.deliveryId().equals(id)).extracting(DeliveryOrder::attempt)
                .containsExactly(1);
        try (ProducerTemplate producer = camel.createProducerTemplate()) {
            producer.sendBody("direct:queue-delivery-orders", recovered);
        }
        await().atMost(PATIENCE).until(() -> receiver.received("calm", MESSAGE_RECEIVE).stream()
                .filter(r -> id.equals(r.getHeader("webhook-id"))).count() == 2);
        assertThat(deliveryStore.find(id).orElseThrow().status()).isEqualTo(DeliveryRecord.Status.DELIVERED);
    }

    /**
     * More new contacts write at once than the tenant has places for deliveries under way (64): those that find the
     * places taken get an order on the tenant's queue, and every callback arrives once it is their turn.
     */
    @Test
    void newContactsBeyondTheTenantsPlacesGoThroughItsQueueAndAllArrive() {
        // slower than the writes of all of them, faster than the tests' callback timeout (1 s)
        receiver.answerAll("crowded", aResponse().withStatus(200).withFixedDelay(800));
        setWebhook("crowded");
        int contacts = 80;
        java.util.stream.IntStream.range(0, contacts).parallel()
                .forEach(i -> userWrites("crowded", "+155512700" + String.format("%02d", i), "one of many " + i));
        await().atMost(PATIENCE).until(() -> webhookCalls.underWay("crowded") == 64);
        await().atMost(PATIENCE).until(() -> webhookIds("crowded", MESSAGE_RECEIVE).size() == contacts);
        assertThat(webhookIds("crowded", CONTACT_INFO)).hasSize(contacts);
        await().atMost(PATIENCE).until(() -> webhookCalls.underWay("crowded") == 0);
    }

    private java.util.Set<String> webhookIds(String tenant, String kind) {
        return receiver.received(tenant, kind).stream().map(r -> r.getHeader("webhook-id"))
                .collect(java.util.stream.Collectors.toSet());
    }

    /**
     * The callback that follows a dead letter of its contact is made at once after it: a failure of the dead one does
     * not stick to it, so it is delivered with its first attempt, once.
     */
    @Test
    void theCallbackAfterADeadLetterIsDeliveredOnItsFirstAttempt() {
        receiver.answerAll("afterdead", aResponse().withStatus(200));
        receiver.answer("afterdead", CONTACT_INFO, aResponse().withStatus(200).withFixedDelay(1_500));
        setWebhook("afterdead");

        JsonNode receipt = userWrites("afterdead", "+15551260001", "after a dead letter");

        await().atMost(PATIENCE).until(() -> delivered("afterdead").stream()
                .anyMatch(d -> d.get("messageId").asText().equals(receipt.get("id").asText())));
        assertThat(deadLetters("afterdead")).extracting(d -> d.get("kind").asText()).containsExactly("contact.info");
        JsonNode message = delivered("afterdead", "message.receive");
        assertThat(message.get("attempts")).hasSize(1);
        assertThat(receiver.received("afterdead", MESSAGE_RECEIVE)).hasSize(1);
    }

    private void setWebhook(String tenant) {
        var reply = api.post("/api/v1/config/webhook", tenant + "-key",
                "{\"url\":\"" + receiver.baseUrl(tenant) + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private JsonNode userWrites(String tenant, String from, String text) {
        return api.sandboxText(tenant + "-sandbox", tenant + "-key", from, text);
    }

    private List<JsonNode> deadLetters(String tenant) {
        return log(tenant, null);
    }

    private List<JsonNode> delivered(String tenant) {
        return log(tenant, "DELIVERED");
    }

    private JsonNode delivered(String tenant, String kind) {
        return delivered(tenant).stream().filter(d -> d.get("kind").asText().equals(kind)).findFirst()
                .orElseThrow();
    }

    private List<JsonNode> log(String tenant, String status) {
        var reply = api.get("/api/v1/admin/dead-letters" + (status == null ? "" : "?status=" + status),
                tenant + "-key");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<JsonNode> results = new java.util.ArrayList<>();
        reply.json().get("results").forEach(results::add);
        return results;
    }
}
