package io.mehery.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.delivery.CallbackKind;
import io.mehery.gateway.delivery.CallbackPlanner;
import io.mehery.gateway.store.DeliveryRecord;
import io.mehery.gateway.store.DeliveryStore;

class SandboxWebhookTest extends GatewayTestSupport {

    @Autowired
    DeliveryStore deliveries;

    @Test
    void aUserMessageOpensASessionAndIsPlannedForDelivery() {
        String phone = uniquePhone();
        JsonNode first = api.sandboxText("sandbox", Api.DEMO_KEY, phone, "hi");
        JsonNode second = api.sandboxText("sandbox", Api.DEMO_KEY, phone, "anyone there?");

        assertThat(second.get("contactId").asText()).isEqualTo(first.get("contactId").asText());
        assertThat(second.get("sessionId").asText()).isEqualTo(first.get("sessionId").asText());
        assertThat(second.get("id").asText()).isNotEqualTo(first.get("id").asText());
        await().atMost(Duration.ofSeconds(5)).until(() -> callback(first, CallbackKind.MESSAGE_RECEIVE).isPresent()
                && callback(second, CallbackKind.MESSAGE_RECEIVE).isPresent());
        assertThat(callback(first, CallbackKind.CONTACT_INFO)).as("a new contact is announced").isPresent();
        assertThat(callback(second, CallbackKind.CONTACT_INFO)).as("a known one is not").isEmpty();
        assertThat(callback(first, CallbackKind.MESSAGE_RECEIVE).get().sessionId())
                .isEqualTo(first.get("sessionId").asText());
    }

    @Test
    void mediaAndLocationMessagesAreStoredInTheSession() {
        String phone = uniquePhone();
        var image = api.post("/webhooks/dummy/sandbox", Api.DEMO_KEY, """
                {"from":"%s","type":"image","image":{"id":"m1","link":"https://cdn.example.com/p.jpg",
                 "mime_type":"image/jpeg","sha256":"abc","caption":"receipt"}}""".formatted(phone));
        var location = api.post("/webhooks/dummy/sandbox", Api.DEMO_KEY, """
                {"from":"%s","type":"location","location":{"latitude":"52.5","longitude":"13.4","name":"Home",
                 "address":"1 Main St"}}"""
                .formatted(phone));

        assertThat(image.status()).as(image.body()).isEqualTo(200);
        assertThat(location.status()).as(location.body()).isEqualTo(200);
        var history = api.get("/api/v1/session/messages?sessionId=" + image.data().get("sessionId").asText(),
                Api.DEMO_KEY);
        JsonNode stored = history.json().get("results").get(0);
        assertThat(stored.get("attachments").get(0).get("mediaMimeType").asText()).isEqualTo("image/jpeg");
        assertThat(stored.get("attachments").get(0).get("mediaId").asText()).isEqualTo("m1");
        assertThat(history.data().get("text").asText()).isEqualTo("Home, 1 Main St");
        assertThat(history.data().at("/meta/location/latitude").asText()).isEqualTo("52.5");
        assertThat(history.data().at("/meta/location/longitude").asText()).isEqualTo("13.4");
        assertThat(history.data().at("/meta/location/address").asText()).isEqualTo("1 Main St");
    }

    @Test
    void aMessageSentTwiceWithItsIdIsStoredAndQueuedOnce() {
        String body = "{\"id\":\"sbx-" + UUID.randomUUID() + "\",\"from\":\"" + uniquePhone()
                + "\",\"type\":\"text\",\"text\":{\"body\":\"once\"}}";

        var first = api.post("/webhooks/dummy/sandbox", Api.DEMO_KEY, body);
        var again = api.post("/webhooks/dummy/sandbox", Api.DEMO_KEY, body);

        assertThat(again.data()).isEqualTo(first.data());
        var history = api.get("/api/v1/session/messages?sessionId=" + first.data().get("sessionId").asText(),
                Api.DEMO_KEY);
        assertThat(history.json().get("results")).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> callback(first.data(), CallbackKind.MESSAGE_RECEIVE)
                .isPresent());
    }

    @Test
    void copiesOfOneMessageArrivingAtOnceAreAllAnsweredWithTheFirstReceipt() throws Exception {
        String body = "{\"id\":\"sbx-" + UUID.randomUUID() + "\",\"from\":\"" + uniquePhone()
                + "\",\"type\":\"text\",\"text\":{\"body\":\"at once\"}}";

        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<Api.Reply> replies = new ArrayList<>();
        try {
            List<Future<Api.Reply>> sent = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sent.add(callers.submit(() -> api.post("/webhooks/dummy/sandbox", Api.DEMO_KEY, body)));
            }
            for (Future<Api.Reply> reply : sent) {
                replies.add(reply.get());
            }
        } finally {
            callers.shutdown();
        }

        assertThat(replies).extracting(Api.Reply::status).containsOnly(200);
        assertThat(replies).extracting(r -> r.data().get("id").asText()).containsOnly(replies.get(0).data().get("id")
                .asText());
        var history = api.get("/api/v1/session/messages?sessionId=" + replies.get(0).data().get("sessionId").asText(),
                Api.DEMO_KEY);
        assertThat(history.json().get("results")).hasSize(1);
    }

    @Test
    void onlyTheTenantsOwnSandboxChannelTakesMessages() {
        String body = "{\"from\":\"+15550101\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}";

        assertThat(api.post("/webhooks/dummy/acme-sandbox", Api.DEMO_KEY, body).status()).isEqualTo(404);
        assertThat(api.post("/webhooks/dummy/demo-whatsapp", Api.DEMO_KEY, body).status()).isEqualTo(404);
        assertThat(api.post("/webhooks/dummy/sandbox", "wrong", body).status()).isEqualTo(401);
        assertThat(api.post("/webhooks/dummy/acme-sandbox", Api.ACME_KEY, body).status()).isEqualTo(200);
    }

    @Test
    void refusesMessagesWithoutSenderOrContent() {
        var noSender = api.post("/webhooks/dummy/sandbox", Api.DEMO_KEY,
                "{\"type\":\"text\",\"text\":{\"body\":\"x\"}}");
        var noText = api.post("/webhooks/dummy/sandbox", Api.DEMO_KEY, "{\"from\":\"+15550101\",\"type\":\"text\"}");

        assertThat(noSender.status()).isEqualTo(400);
        assertThat(noSender.errorFields()).containsExactly("from");
        assertThat(noText.status()).isEqualTo(400);
        assertThat(noText.errorFields()).containsExactly("text");
    }

    private Optional<DeliveryRecord> callback(JsonNode receipt, CallbackKind kind) {
        return deliveries.find(CallbackPlanner.webhookId(receipt.get("id").asText(), kind));
    }
}
