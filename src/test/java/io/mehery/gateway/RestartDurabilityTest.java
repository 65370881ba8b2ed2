package io.mehery.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.mehery.gateway.WebhookReceiver.CONTACT_INFO;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.mehery.gateway.store.Outbox;
import io.mehery.gateway.store.OutboxRelay;

/** Stopping the gateway and starting it again on the same data dir keeps everything it had accepted. */
class RestartDurabilityTest {

    private static final String[] CALLBACKS_TO_THIS_HOST = {"--mehery.webhooks.allow-private-targets=true",
            "--mehery.delivery.retry-schedule=0s,3s,3s,3s", "--mehery.delivery.jitter=0"};

    @TempDir
    Path dataDir;

    final WebhookReceiver receiver = new WebhookReceiver();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void sessionsContactsConsentAndWaitingEventsSurviveARestart() {
        String user = "+15557770001";
        String sessionId;
        String inboundId;
        try (var gateway = StandaloneGateway.start(dataDir, CALLBACKS_TO_THIS_HOST)) {
            Api api = gateway.api();
            var received = api.sandboxText("sandbox", Api.DEMO_KEY, user, "before restart");
            sessionId = received.get("sessionId").asText();
            inboundId = received.get("id").asText();
            assertThat(api.post("/api/v1/message/send", Api.DEMO_KEY,
                    "{\"channelId\":\"sandbox\",\"to\":{\"phone\":\"" + user + "\"},\"type\":\"optout\"}").status())
                    .isEqualTo(200);
        }

        try (var gateway = StandaloneGateway.start(dataDir, CALLBACKS_TO_THIS_HOST)) {
            Api api = gateway.api();

            var history = api.get("/api/v1/session/messages?sessionId=" + sessionId, Api.DEMO_KEY);
            assertThat(history.status()).isEqualTo(200);
            assertThat(history.json().get("results")).extracting(m -> m.get("messageId").asText())
                    .contains(inboundId);
            assertThat(history.json().get("results").get(0).get("contact").get("name").asText()).isEqualTo("Ann");

            var refused = api.post("/api/v1/message/send", Api.DEMO_KEY,
                    "{\"channelId\":\"sandbox\",\"to\":{\"phone\":\"" + user + "\"},\"type\":\"text\","
                            + "\"text\":{\"body\":\"still opted out?\"}}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.errorCode()).isEqualTo("CONTACT_OPTED_OUT");
            assertThat(api.sandboxText("sandbox", Api.DEMO_KEY, user, "after restart").get("sessionId").asText())
                    .isEqualTo(sessionId);

            // the callbacks that waited for a webhook across the restart flow once it is set
            receiver.answerAll("demo", aResponse().withStatus(200));
            api.post("/api/v1/config/webhook", Api.DEMO_KEY, "{\"url\":\"" + receiver.baseUrl("demo") + "\"}");
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received("demo", MESSAGE_RECEIVE).size() == 2);
            assertThat(receiver.received("demo", MESSAGE_RECEIVE)).anySatisfy(
                    r -> assertThat(r.getBodyAsString()).contains(inboundId));
        }
    }

    @Test
    void anIdempotencyKeyAnswersItsFirstAnswerAfterARestart() {
        String send = "{\"channelId\":\"sandbox\",\"to\":{\"phone\":\"+15557770009\"},\"type\":\"text\","
                + "\"text\":{\"body\":\"once\"}}";
        Api.Reply first;
        try (var gateway = StandaloneGateway.start(dataDir)) {
            first = gateway.api().postOnce("/api/v1/message/send", Api.DEMO_KEY, "restart-1", send);
            assertThat(first.status()).as(first.body()).isEqualTo(200);
        }
        try (var gateway = StandaloneGateway.start(dataDir)) {
            Api.Reply again = gateway.api().postOnce("/api/v1/message/send", Api.DEMO_KEY, "restart-1", send);
            assertThat(again.status()).as(again.body()).isEqualTo(200);
            assertThat(again.data()).isEqualTo(first.data());
            var history = gateway.api().get("/api/v1/session/messages?sessionId="
                    + first.data().get("sessionId").asText(), Api.DEMO_KEY);
            assertThat(history.json().get("results")).hasSize(1);
        }
    }

    @Test
    void aCallbackBetweenRetriesWhenTheGatewayStopsIsDeliveredAfterItStarts() {
        receiver.answerAll("demo", aResponse().withStatus(500));
        String webhookId;
        try (var gateway = StandaloneGateway.start(dataDir, CALLBACKS_TO_THIS_HOST)) {
            Api api = gateway.api();
            api.post("/api/v1/config/webhook", Api.DEMO_KEY, "{\"url\":\"" + receiver.baseUrl("demo") + "\"}");
            api.sandboxText("sandbox", Api.DEMO_KEY, "+15557770002", "retry me");
            // contact/info fails and waits for its retry; message/receive waits behind it (a contact's callbacks
            // keep their order)
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received("demo", CONTACT_INFO).size() >= 1);
            webhookId = receiver.received("demo", CONTACT_INFO).get(0).getHeader("webhook-id");
            assertThat(receiver.received("demo", MESSAGE_RECEIVE)).isEmpty();
        }
        receiver.reset();
        receiver.answerAll("demo", aResponse().withStatus(200));

        try (var gateway = StandaloneGateway.start(dataDir, CALLBACKS_TO_THIS_HOST)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received("demo", MESSAGE_RECEIVE).size() == 1);
            LoggedRequest info = receiver.received("demo", CONTACT_INFO).get(0);
            LoggedRequest message = receiver.received("demo", MESSAGE_RECEIVE).get(0);
            assertThat(info.getHeader("webhook-id")).isEqualTo(webhookId);
            assertThat(info.getLoggedDate()).isBeforeOrEqualTo(message.getLoggedDate());
            assertThat(message.getBodyAsString()).contains("retry me");
        }
    }

    /**
     * The moment a kill -9 can fall in: an attempt's outcome committed with the order for its retry, the relay not
     * yet past it. The order is in the outbox, not on the queue; after the restart the relay moves it and the retry
     * is made (long before the stalled check would find the callback).
     */
    @Test
    void workCommittedButNotYetOnItsQueueIsCarriedOnAfterARestart() {
        receiver.answerAll("demo", aResponse().withStatus(503));
        String[] arguments = {CALLBACKS_TO_THIS_HOST[0], CALLBACKS_TO_THIS_HOST[1], CALLBACKS_TO_THIS_HOST[2],
                "--mehery.store.relay-poll-interval=200ms"};
        String inboundId;
        try (var gateway = StandaloneGateway.start(dataDir, arguments)) {
            Api api = gateway.api();
            api.post("/api/v1/config/webhook", Api.DEMO_KEY, "{\"url\":\"" + receiver.baseUrl("demo") + "\"}");
            gateway.bean(OutboxRelay.class).stop();
            inboundId = api.sandboxText("sandbox", Api.DEMO_KEY, "+15557770003", "committed, not yet queued")
                    .get("id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received("demo", CONTACT_INFO).size() == 1);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(gateway.bean(Outbox.class).size())
                    .as("the retry's order waits in the outbox").isEqualTo(1));
        }
        assertThat(receiver.received("demo", MESSAGE_RECEIVE)).isEmpty();
        receiver.reset();
        receiver.answerAll("demo", aResponse().withStatus(200));

        try (var gateway = StandaloneGateway.start(dataDir, arguments)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received("demo", MESSAGE_RECEIVE).size() == 1);
            assertThat(receiver.received("demo", MESSAGE_RECEIVE).get(0).getBodyAsString()).contains(inboundId);
            assertThat(receiver.received("demo", CONTACT_INFO)).hasSize(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.bean(Outbox.class).size() == 0);
        }
    }
}
