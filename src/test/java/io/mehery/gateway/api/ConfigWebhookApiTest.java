package io.mehery.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.store.WebhookStore;

class ConfigWebhookApiTest extends GatewayTestSupport {

    @Autowired
    WebhookStore webhooks;

    @Test
    void storesThePublicUrlPerTenantAndAnswersIt() {
        var reply = api.post("/api/v1/config/webhook", Api.ACME_KEY, "{\"url\":\"https://203.0.113.10/mehery/\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").asText()).isEqualTo("SUCCESS");
        var data = reply.data();
        assertThat(data.get("key").asText()).isEqualTo("webhook");
        assertThat(data.get("shared").asBoolean()).isFalse();
        assertThat(data.get("description").asText()).contains("/api/v1/message/receive");
        assertThat(data.get("value").get("url").asText()).isEqualTo("https://203.0.113.10/mehery");
        assertThat(webhooks.find("acme")).contains("https://203.0.113.10/mehery");
        var shown = api.get("/api/v1/config/webhook", Api.ACME_KEY).data().get("value");
        assertThat(shown.get("url").asText()).isEqualTo("https://203.0.113.10/mehery");
        assertThat(shown.get("disabled").asBoolean()).isFalse();
        assertThat(shown.get("setAt").asLong()).isPositive();
    }

    @Test
    void aTenantWithoutAWebhookIsToldSo() {
        var reply = api.get("/api/v1/config/webhook", "unset-key");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.errorCode()).isEqualTo("WEBHOOK_NOT_SET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://203.0.113.10/x", "/relative/path", "not a url", "https://user:pw@203.0.113.10/",
            "https://203.0.113.10/hook?token=1", "https://no-such-host.invalid/hook"})
    void refusesWhatIsNotAnHttpBaseUrl(String url) {
        var reply = api.post("/api/v1/config/webhook", Api.DEMO_KEY, "{\"url\":\"" + url + "\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorFields()).containsExactly("url");
        assertThat(reply.body()).doesNotContain("pw@");
    }

    @Test
    void namesTheMissingOrMistypedField() {
        assertThat(api.post("/api/v1/config/webhook", Api.DEMO_KEY, "{}").errorFields()).containsExactly("url");
        var mistyped = api.post("/api/v1/config/webhook", Api.DEMO_KEY, "{\"url\": 42}");
        assertThat(mistyped.status()).isEqualTo(400);
        assertThat(mistyped.errorFields()).containsExactly("url");
    }

    @Test
    void refusesCallersWithoutAValidKey() {
        var none = api.post("/api/v1/config/webhook", null, "{\"url\":\"https://203.0.113.10/\"}");
        var wrong = api.post("/api/v1/config/webhook", "demo-kez", "{\"url\":\"https://203.0.113.10/\"}");

        assertThat(none.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errorFields()).containsExactly("x-api-key");
    }
}
