package io.mehery.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.core.JmsTemplate;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;

class SandboxWebhookTest extends GatewayTestSupport {

    @Autowired
    JmsTemplate jms;

    @Value("${mehery.queues.inbound}")
    String inboundQueue;

    @Test
    void aUserMessageOpensASessionAndIsQueuedForDelivery() {
        String phone = uniquePhone();
        JsonNode first = api.sandboxText("sandbox", Api.DEMO_KEY, phone, "hi");
        JsonNode second = api.sandboxText("sandbox", Api.DEMO_KEY, phone, "anyone there?");

        assertThat(second.get("contactId").asText()).isEqualTo(first.get("contactId").asText());
        assertThat(second.get("sessionId").asText()).isEqualTo(first.get("sessionId").asText());
        assertThat(second.get("id").asText()).isNotEqualTo(first.get("id").asText());
        await().atMost(Duration.ofSeconds(5)).until(() -> queuedEvents().stream()
                .filter(e -> e.contains(first.get("id").asText()) || e.contains(second.get("id").asText()))
                .count() == 2);
        String event = queuedEvents().stream().filter(e -> e.contains(first.get("id").asText())).findFirst()
                .orElseThrow();
        assertThat(event).contains("\"kind\":\"message.received\"", "\"contactCreated\":true",
                first.get("sessionId").asText());
        assertThat(event).doesNotContain(Api.DEMO_KEY);
    }

    @Test
    void mediaAndLocationMessagesAreStoredInTheSession() {
        String phone = uniquePhone();
        var image = api.post("/webhooks/dummy/sandbox", Api.DEMO_KEY, """
                {"from":"%s","type":"image","image":{"id":"m1","link":"https://cdn.example.com/p.jpg",
                 "mime_type":"image/jpeg","sha256":"abc","caption":"receipt"}}""".formatted(phone));
        var location = api.post("/webhooks/dummy/sandbox", Api.DEMO_KEY, """
                {"from":"%s","type":"location","location":{"latitude":"52.5","longitude":"13.4","name":"Home"}}"""
                .formatted(phone));

        assertThat(image.status()).as(image.body()).isEqualTo(200);
        assertThat(location.status()).as(location.body()).isEqualTo(200);
        var history = api.get("/api/v1/session/messages?sessionId=" + image.data().get("sessionId").asText(),
                Api.DEMO_KEY);
        JsonNode stored = history.json().get("results").get(0);
        assertThat(stored.get("attachments").get(0).get("mediaMimeType").asText()).isEqualTo("image/jpeg");
        assertThat(stored.get("attachments").get(0).get("mediaId").asText()).isEqualTo("m1");
        assertThat(history.data().get("text").asText()).isEqualTo("Home");
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
        await().atMost(Duration.ofSeconds(5)).until(() -> queuedEvents().stream()
                .filter(e -> e.contains(first.data().get("id").asText())).count() == 1);
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

    private List<String> queuedEvents() {
        return jms.browse(inboundQueue, (session, browser) -> {
            List<String> bodies = new ArrayList<>();
            var messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                bodies.add(((jakarta.jms.TextMessage) messages.nextElement()).getText());
            }
            return bodies;
        });
    }
}
