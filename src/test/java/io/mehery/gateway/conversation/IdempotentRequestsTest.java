package io.mehery.gateway.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.mehery.gateway.Api;
import io.mehery.gateway.channel.ChannelTestSupport;

/** Idempotency-Key on message/send and event/push, over the real HTTP API, with the provider stubbed. */
class IdempotentRequestsTest extends ChannelTestSupport {

    private static final String MESSAGES_PATH = "/v21.0/106540352242922/messages";

    @Test
    void aSendRetriedWithItsKeyAnswersTheFirstAnswerAndCallsTheProviderOnce() {
        String text = "exactly once " + UUID.randomUUID();
        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES_PATH)).withRequestBody(matchingJsonPath("$.text.body",
                equalTo(text))).willReturn(aResponse().withStatus(200)
                .withBody("{\"messages\":[{\"id\":\"wamid.IDEM-" + UUID.randomUUID() + "\"}]}")));
        String body = """
                {"channelId":"wa-whatsapp","to":{"phone":"%s"},"type":"text","text":{"body":"%s"}}"""
                .formatted(uniquePhone(), text);
        String key = "order-" + UUID.randomUUID();

        Api.Reply first = api.postOnce("/api/v1/message/send", TENANT_KEY, key, body);
        Api.Reply again = api.postOnce("/api/v1/message/send", TENANT_KEY, key, body);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.data()).isEqualTo(first.data());
        String sessionId = first.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("sent"));
        PROVIDERS.verify(1, postRequestedFor(urlEqualTo(MESSAGES_PATH)).withRequestBody(matchingJsonPath(
                "$.text.body", equalTo(text))));
        assertThat(api.get("/api/v1/session/messages?sessionId=" + sessionId, TENANT_KEY).json().get("results"))
                .hasSize(1);
        assertThat(api.get("/actuator/prometheus", null).body()).containsPattern(
                "mehery_provider_calls_total\\{[^}]*channel=\"wa-whatsapp\"[^}]*outcome=\"accepted\"");
    }

    @Test
    void aKeyUsedForAnotherRequestIsRefusedAndARefusedRequestKeepsNoKey() {
        String key = "reused-" + UUID.randomUUID();
        String phone = uniquePhone();
        assertThat(api.postOnce("/api/v1/message/send", TENANT_KEY, key, """
                {"channelId":"wa-whatsapp","to":{"phone":"%s"},"type":"optout"}""".formatted(phone)).status())
                .isEqualTo(200);
        Api.Reply other = api.postOnce("/api/v1/message/send", TENANT_KEY, key, """
                {"channelId":"wa-whatsapp","to":{"phone":"%s"},"type":"optin"}""".formatted(phone));
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.errorCode()).isEqualTo("IDEMPOTENCY_KEY_REUSED");

        String refusedKey = "refused-" + UUID.randomUUID();
        assertThat(api.postOnce("/api/v1/message/send", TENANT_KEY, refusedKey, """
                {"channelId":"no-such-channel","to":{"phone":"%s"},"type":"optin"}""".formatted(phone)).status())
                .isEqualTo(404);
        assertThat(api.postOnce("/api/v1/message/send", TENANT_KEY, refusedKey, """
                {"channelId":"wa-whatsapp","to":{"phone":"%s"},"type":"optin"}""".formatted(phone)).status())
                .isEqualTo(200);
    }

    @Test
    void anEventPushedTwiceWithItsKeyIsRecordedOnceAndAnsweredTheSame() {
        String key = "event-" + UUID.randomUUID();
        String event = "{\"eventName\":\"cart.add\",\"id\":\"ev-" + UUID.randomUUID() + "\",\"links\":[]}";
        Api.Reply first = api.postOnce("/api/v1/event/push", TENANT_KEY, key, event);
        Api.Reply again = api.postOnce("/api/v1/event/push", TENANT_KEY, key, event);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(again.json().get("data")).isEqualTo(first.json().get("data"));
        // answered as the first, not as a duplicate event (which warns)
        assertThat(again.json().get("warnings")).isEqualTo(first.json().get("warnings"));
        assertThat(api.postOnce("/api/v1/event/push", "other-key", key, event).status()).isEqualTo(401);
    }
}
