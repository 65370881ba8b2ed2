package io.mehery.gateway.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mehery.gateway.channel.ChannelTestSupport;
import io.mehery.gateway.provider.OutboundDispatch;
import io.mehery.gateway.provider.ProviderCalls;

/**
 * Each accepted send reaches its provider once, or is failed: a copy of its dispatch (the outbox relay hands work on
 * at least once) makes no second call, and a call that began and never ended (the gateway was killed during it)
 * fails the message rather than sending it again.
 */
class DispatchOnceTest extends ChannelTestSupport {

    private static final String MESSAGES_PATH = "/v21.0/106540352242922/messages";

    @Autowired
    OutboundMessages outbound;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aCopyOfADispatchMakesNoSecondProviderCall() {
        String text = "once only " + UUID.randomUUID();
        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES_PATH)).withRequestBody(matchingJsonPath("$.text.body",
                equalTo(text))).willReturn(aResponse().withStatus(200)
                .withBody("{\"messages\":[{\"id\":\"wamid.ONCE-" + UUID.randomUUID() + "\"}]}")));
        var sent = send(text);
        String sessionId = sent.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("sent"));

        assertThat(outbound.startDispatch(copyOf(sent.data().get("id").asText()))).isFalse();

        PROVIDERS.verify(1, postRequestedFor(urlEqualTo(MESSAGES_PATH)).withRequestBody(matchingJsonPath(
                "$.text.body", equalTo(text))));
        assertThat(latest(sessionId).get("status").asText()).isEqualTo("sent");
    }

    @Test
    void aProviderCallCutShortByAKillFailsTheMessageInsteadOfSendingItTwice() {
        String text = "cut short " + UUID.randomUUID();
        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES_PATH)).withRequestBody(matchingJsonPath("$.text.body",
                equalTo(text))).willReturn(aResponse().withStatus(200).withBody("{\"messages\":[{\"id\":\"w\"}]}")));
        var sent = send(text);
        String id = sent.data().get("id").asText();
        String sessionId = sent.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("sent"));
        // the state a kill -9 during the call leaves: accepted, its call begun, no outcome
        long now = System.currentTimeMillis();
        jdbc.update("UPDATE message SET status = 'ACCEPTED', dispatching_since = ? WHERE id = ?", now, id);

        assertThatThrownBy(() -> outbound.startDispatch(copyOf(id)))
                .as("while the call may still be running, the copy is handed back to the queue for later")
                .isInstanceOf(ProviderCalls.ProviderUnavailableException.class);

        jdbc.update("UPDATE message SET dispatching_since = ? WHERE id = ?", now - Duration.ofMinutes(5).toMillis(),
                id);
        assertThat(outbound.startDispatch(copyOf(id))).isFalse();

        assertThat(latest(sessionId).get("status").asText()).isEqualTo("failed");
        assertThat(latest(sessionId).get("logs").get(0).asText()).contains("unknown", "not sent again");
        PROVIDERS.verify(1, postRequestedFor(urlEqualTo(MESSAGES_PATH)).withRequestBody(matchingJsonPath(
                "$.text.body", equalTo(text))));
    }

    private io.mehery.gateway.Api.Reply send(String text) {
        var sent = api.post("/api/v1/message/send", TENANT_KEY, """
                {"channelId":"wa-whatsapp","to":{"phone":"%s"},"type":"text","text":{"body":"%s"}}"""
                .formatted(uniquePhone(), text));
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        return sent;
    }

    /** What the relay would hand over again: only the message id decides. */
    private static OutboundDispatch copyOf(String messageId) {
        return new OutboundDispatch(messageId, null, "wa-whatsapp", null, null, null, null);
    }
}
