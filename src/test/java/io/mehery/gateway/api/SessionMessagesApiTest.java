package io.mehery.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;

class SessionMessagesApiTest extends GatewayTestSupport {

    @Test
    void showsBothDirectionsOldestFirstWithTheLatestAsData() {
        String phone = uniquePhone();
        JsonNode inbound = api.sandboxText("sandbox", Api.DEMO_KEY, phone, "where is my order?");
        String sessionId = inbound.get("sessionId").asText();
        var sent = api.post("/api/v1/message/send", Api.DEMO_KEY, "{\"channelId\":\"sandbox\",\"to\":{\"phone\":\""
                + phone + "\"},\"type\":\"image\",\"image\":{\"link\":\"https://cdn.example.com/map.png\","
                + "\"caption\":\"here\",\"filename\":\"map.png\"}}");
        assertThat(sent.data().get("sessionId").asText()).isEqualTo(sessionId);

        var reply = await().atMost(Duration.ofSeconds(10)).until(
                () -> api.get("/api/v1/session/messages?sessionId=" + sessionId, Api.DEMO_KEY),
                r -> r.data().get("status").asText().equals("delivered"));

        List<String> texts = new ArrayList<>();
        reply.json().get("results").forEach(m -> texts.add(m.get("text").asText()));
        assertThat(texts).containsExactly("where is my order?", "here");
        JsonNode first = reply.json().get("results").get(0);
        assertThat(first.get("meta").get("direction").asText()).isEqualTo("inbound");
        assertThat(first.get("status").asText()).isEqualTo("received");
        assertThat(first.get("sender").asText()).isEqualTo(phone);
        assertThat(first.get("contact").get("csid").asText()).isEqualTo(phone);
        assertThat(first.get("contact").get("phone").asText()).isEqualTo(phone);
        assertThat(first.get("contact").get("name").asText()).isEqualTo("Ann");
        assertThat(first.get("contact").get("channelType").asText()).isEqualTo("DUMMY");
        assertThat(first.get("tags").get("persons")).isEmpty();
        JsonNode latest = reply.data();
        assertThat(latest.get("messageId").asText()).isEqualTo(sent.data().get("id").asText());
        JsonNode attachment = latest.get("attachments").get(0);
        assertThat(attachment.get("mediaType").asText()).isEqualTo("IMAGE");
        assertThat(attachment.get("mediaSrc").asText()).isEqualTo("https://cdn.example.com/map.png");
        assertThat(attachment.get("mediaName").asText()).isEqualTo("map.png");
        assertThat(attachment.get("mediaCaption").asText()).isEqualTo("here");
    }

    @Test
    void anotherTenantsSessionIsNotFound() {
        String sessionId = api.sandboxText("sandbox", Api.DEMO_KEY, uniquePhone(), "private").get("sessionId")
                .asText();

        var reply = api.get("/api/v1/session/messages?sessionId=" + sessionId, Api.ACME_KEY);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.errorFields()).containsExactly("sessionId");
        assertThat(reply.body()).doesNotContain("private");
    }

    @Test
    void theSessionIdIsRequired() {
        var missing = api.get("/api/v1/session/messages", Api.DEMO_KEY);
        var unknown = api.get("/api/v1/session/messages?sessionId=does-not-exist", Api.DEMO_KEY);

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errorFields()).containsExactly("sessionId");
        assertThat(unknown.status()).isEqualTo(404);
    }
}
