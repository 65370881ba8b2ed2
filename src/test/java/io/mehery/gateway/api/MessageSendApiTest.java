package io.mehery.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;

class MessageSendApiTest extends GatewayTestSupport {

    @Test
    void aTextIsAcceptedThenSentAndDeliveredBySandbox() {
        String phone = uniquePhone();
        var reply = send(phone, "\"type\":\"text\",\"text\":{\"body\":\"Your order shipped\"}");

        assertThat(reply.status()).isEqualTo(200);
        String id = reply.data().get("id").asText();
        String sessionId = reply.data().get("sessionId").asText();
        JsonNode message = await().atMost(Duration.ofSeconds(10))
                .until(() -> latest(sessionId), m -> m.get("status").asText().equals("delivered"));
        assertThat(message.get("messageId").asText()).isEqualTo(id);
        assertThat(message.get("text").asText()).isEqualTo("Your order shipped");
        assertThat(message.get("stamps").has("accepted")).isTrue();
        assertThat(message.get("stamps").get("sent").asLong())
                .isGreaterThanOrEqualTo(message.get("stamps").get("accepted").asLong());
        assertThat(message.get("stamps").get("delivered").asLong())
                .isGreaterThanOrEqualTo(message.get("stamps").get("sent").asLong());
        assertThat(message.get("messageIdExt").asText()).isNotBlank();
        assertThat(message.get("meta").get("direction").asText()).isEqualTo("outbound");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "image    | \"image\":{\"link\":\"https://cdn.example.com/a.png\",\"caption\":\"A\"}",
            "audio    | \"audio\":{\"link\":\"https://cdn.example.com/a.ogg\"}",
            "voice    | \"voice\":{\"link\":\"https://cdn.example.com/v.ogg\"}",
            "video    | \"video\":{\"link\":\"https://cdn.example.com/v.mp4\",\"caption\":\"V\"}",
            "document | \"document\":{\"link\":\"https://cdn.example.com/d.pdf\",\"filename\":\"d.pdf\"}",
            "location | \"location\":{\"latitude\":52.52,\"longitude\":\"13.405\",\"name\":\"Office\"}",
            "contacts | \"contacts\":[{\"name\":{\"formatted_name\":\"Bob B\"},\"phones\":[{\"phone\":\"+4912\"}]}]",
            "template | \"template\":{\"id\":\"order_update\",\"data\":{\"name\":\"Ann\",\"order\":\"42\"}}"})
    void everySendableTypeIsAccepted(String type, String part) {
        var reply = send(uniquePhone(), "\"type\":\"" + type + "\"," + part);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode message = latest(reply.data().get("sessionId").asText());
        assertThat(message.get("type").asText()).isEqualTo(type);
    }

    @Test
    void aTemplateNoConfigurationHasTextForIsRefusedOnTheSandboxAsEverywhere() {
        var reply = send(uniquePhone(), "\"type\":\"template\",\"template\":{\"id\":\"no_such_template\"}");

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("UNKNOWN_TEMPLATE");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"type\":\"text\"                                            | text.body",
            "\"type\":\"text\",\"text\":{\"type\":\"x\"}                 | text.body",
            "\"type\":\"image\"                                           | image.link",
            "\"type\":\"image\",\"image\":{\"link\":\"file:///etc/x\"}  | image.link",
            "\"type\":\"location\"                                        | location",
            "\"type\":\"location\",\"location\":{\"latitude\":\"north\",\"longitude\":1} | location.latitude",
            "\"type\":\"contacts\",\"contacts\":[]                         | contacts",
            "\"type\":\"template\",\"template\":{\"data\":{}}              | template.id",
            "\"type\":\"system\"                                          | type",
            "\"type\":\"sms\"                                             | type"})
    void aMessageMissingWhatItsTypeNeedsIsRefusedNamingTheField(String parts, String field) {
        var reply = send(uniquePhone(), parts);

        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.errorFields()).contains(field);
    }

    @Test
    void aMaskedMessageIsStoredAndShownMasked() {
        var reply = send(uniquePhone(), "\"mask\":true,\"type\":\"text\",\"text\":{\"body\":\"OTP 918273\"}");

        JsonNode message = latest(reply.data().get("sessionId").asText());
        assertThat(message.get("text").asText()).isEqualTo("*****");
        assertThat(message.get("meta").get("masked").asBoolean()).isTrue();
        assertThat(message.toString()).doesNotContain("918273");
    }

    @Test
    void anOptedOutContactGetsNothingUntilItOptsBackIn() {
        String phone = uniquePhone();
        assertThat(send(phone, "\"type\":\"optout\"").status()).isEqualTo(200);

        var refused = send(phone, "\"type\":\"text\",\"text\":{\"body\":\"promo\"}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("CONTACT_OPTED_OUT");

        assertThat(send(phone, "\"type\":\"optin\"").status()).isEqualTo(200);
        assertThat(send(phone, "\"type\":\"text\",\"text\":{\"body\":\"welcome back\"}").status()).isEqualTo(200);
    }

    @Test
    void consentIsPerChannel() {
        String phone = uniquePhone();
        send(phone, "\"type\":\"optout\"");

        var otherChannel = api.post("/api/v1/message/send", Api.ACME_KEY,
                "{\"channelId\":\"acme-sandbox\",\"to\":{\"phone\":\"" + phone
                        + "\"},\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        assertThat(otherChannel.status()).isEqualTo(200);
    }

    @Test
    void onlyTheTenantsOwnChannelsCanBeUsed() {
        var foreign = api.post("/api/v1/message/send", Api.DEMO_KEY,
                "{\"channelId\":\"acme-sandbox\",\"to\":{\"phone\":\"+15550101\"},\"type\":\"optin\"}");
        var unknown = api.post("/api/v1/message/send", Api.DEMO_KEY,
                "{\"channelId\":\"nope\",\"to\":{\"phone\":\"+15550101\"},\"type\":\"optin\"}");

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(foreign.errorFields()).isEqualTo(unknown.errorFields()).containsExactly("channelId");
        assertThat(foreign.errorCode()).isEqualTo(unknown.errorCode()).isEqualTo("CHANNEL_NOT_FOUND");
    }

    @Test
    void theAddressMustFitTheChannel() {
        var noPhone = api.post("/api/v1/message/send", Api.DEMO_KEY,
                "{\"channelId\":\"sandbox\",\"to\":{\"name\":\"Ann\"},\"type\":\"text\",\"text\":{\"body\":\"x\"}}");
        var notE164 = api.post("/api/v1/message/send", Api.DEMO_KEY,
                "{\"channelId\":\"demo-whatsapp\",\"to\":{\"phone\":\"call me\"},\"type\":\"text\","
                        + "\"text\":{\"body\":\"x\"}}");

        assertThat(noPhone.status()).isEqualTo(400);
        assertThat(noPhone.errorFields()).containsExactly("to.phone");
        assertThat(notE164.status()).isEqualTo(400);
        assertThat(notE164.errorFields()).containsExactly("to.phone");
    }

    @Test
    void aTypeTheChannelCannotCarryIsRefusedAtSendTime() {
        var reply = api.post("/api/v1/message/send", Api.DEMO_KEY,
                "{\"channelId\":\"demo-email\",\"to\":{\"email\":\"ann@example.com\"},\"type\":\"location\","
                        + "\"location\":{\"latitude\":\"1\",\"longitude\":\"2\"}}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("UNSUPPORTED_TYPE");
        assertThat(reply.errorFields()).containsExactly("type");
    }

    private Api.Reply send(String phone, String parts) {
        return api.post("/api/v1/message/send", Api.DEMO_KEY,
                "{\"channelId\":\"sandbox\",\"to\":{\"phone\":\"" + phone + "\",\"name\":\"Ann\"}," + parts + "}");
    }

    private JsonNode latest(String sessionId) {
        return api.get("/api/v1/session/messages?sessionId=" + sessionId, Api.DEMO_KEY).data();
    }
}
