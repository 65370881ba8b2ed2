package io.mehery.gateway.channel.telegram;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.mehery.gateway.WebhookReceiver.ACTION_EVENT;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.channel.ChannelTestSupport;

/** The Telegram channel: secret token, updates into callbacks, message/send as Bot API calls. */
class TelegramChannelTest extends ChannelTestSupport {

    static final String BOT = "/bot123456:ABC-DEF";
    static final AtomicLong UPDATE_IDS = new AtomicLong(System.currentTimeMillis());

    @Test
    void updatesWithTheSecretTokenBecomeCallbacksAndOthersAreRefused() {
        long chat = 700000000L + UPDATE_IDS.incrementAndGet() % 1000000;
        long text = UPDATE_IDS.incrementAndGet();
        long photo = UPDATE_IDS.incrementAndGet();
        long edited = UPDATE_IDS.incrementAndGet();
        long button = UPDATE_IDS.incrementAndGet();
        String from = "\"from\":{\"id\":" + chat + ",\"is_bot\":false,\"first_name\":\"Ivan\",\"last_name\":\"Petrov\"}";
        String in = "\"chat\":{\"id\":" + chat + ",\"type\":\"private\"},\"date\":1732441500";

        accepted("{\"update_id\":" + text + ",\"message\":{\"message_id\":11," + from + "," + in
                + ",\"text\":\"Where is my parcel?\"}}");
        accepted("{\"update_id\":" + photo + ",\"message\":{\"message_id\":12," + from + "," + in
                + ",\"photo\":[{\"file_id\":\"small\",\"file_unique_id\":\"s\",\"width\":90,\"height\":90},"
                + "{\"file_id\":\"large\",\"file_unique_id\":\"l\",\"width\":1280,\"height\":1280}],"
                + "\"caption\":\"the label\"}}");
        accepted("{\"update_id\":" + edited + ",\"edited_message\":{\"message_id\":11," + from + "," + in
                + ",\"edit_date\":1732441600,\"text\":\"Where is my parcel #42?\"}}");
        accepted("{\"update_id\":" + button + ",\"callback_query\":{\"id\":\"cq1\"," + from
                + ",\"message\":{\"message_id\":13," + in + ",\"text\":\"Track?\"},\"data\":\"TRACK_42\"}}");
        // Telegram re-sending an update it got no answer for stores nothing twice
        accepted("{\"update_id\":" + text + ",\"message\":{\"message_id\":11," + from + "," + in
                + ",\"text\":\"Where is my parcel?\"}}");

        // the edit is message/receive again for the same message; the button press is a message with its action
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, "\"" + chat + "\"").size() == 4
                && callbacksMentioning(ACTION_EVENT, "\"" + chat + "\"").size() == 1);
        List<JsonNode> messages = callbacksMentioning(MESSAGE_RECEIVE, "\"" + chat + "\"");
        assertThat(messages).extracting(m -> m.at("/messages/0/type").asText())
                .containsExactlyInAnyOrder("text", "image", "text", "text");
        assertThat(messages).anySatisfy(m -> assertThat(m.at("/messages/0/image/id").asText()).isEqualTo("large"));
        List<JsonNode> parcel = messages.stream().filter(m -> m.at("/messages/0/messageIdExt").asText()
                .equals(chat + ":11")).toList();
        // a callback shows the message as stored when first tried: the edit, if it came before that
        assertThat(parcel).hasSize(2).extracting(m -> m.at("/messages/0/text/body").asText())
                .contains("Where is my parcel #42?");
        assertThat(parcel).extracting(m -> m.at("/messages/0/id").asText()).containsOnly(
                parcel.get(0).at("/messages/0/id").asText());
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.at("/actions/0/actionCode").asText()).isEqualTo("TRACK_42");
            assertThat(m.at("/messages/0/originalMessage/data").asText()).isEqualTo("TRACK_42");
        });
        assertThat(messages.get(0).at("/contacts/0/profile/name").asText()).isEqualTo("Ivan Petrov");
        assertThat(callbacksMentioning(ACTION_EVENT, "\"" + chat + "\"").get(0).get("actionCode").asText())
                .isEqualTo("TRACK_42");

        String sessionId = parcel.get(0).at("/messages/0/session/sessionId").asText();
        JsonNode history = api.get("/api/v1/session/messages?sessionId=" + sessionId, TENANT_KEY).json()
                .get("results");
        JsonNode parcelNow = history.get(0);
        assertThat(parcelNow.get("text").asText()).isEqualTo("Where is my parcel #42?");
        assertThat(parcelNow.at("/stamps/edited").asLong()).isPositive();
        assertThat(history).anySatisfy(m -> {
            assertThat(m.get("action").asText()).isEqualTo("TRACK_42");
            assertThat(m.get("replyIdExt").asText()).isEqualTo(chat + ":13");
        });

        assertThat(update("{\"update_id\":1,\"message\":{}}", "wrong").status()).isEqualTo(401);
        assertThat(update("{\"update_id\":1,\"message\":{}}", null).status()).isEqualTo(401);
    }

    @Test
    void everyOtherMessageKindMapsToItsMeheryType() {
        long chat = 710000000L + UPDATE_IDS.incrementAndGet() % 1000000;
        String from = "\"from\":{\"id\":" + chat + ",\"is_bot\":false,\"first_name\":\"Mia\"}";
        String in = "\"chat\":{\"id\":" + chat + ",\"type\":\"private\"},\"date\":1732441700";
        List<String> parts = List.of(
                "\"voice\":{\"file_id\":\"v1\",\"file_unique_id\":\"v\",\"duration\":3,\"mime_type\":\"audio/ogg\"}",
                "\"audio\":{\"file_id\":\"a1\",\"file_unique_id\":\"a\",\"duration\":90,\"mime_type\":\"audio/mpeg\"}",
                "\"video\":{\"file_id\":\"vd1\",\"file_unique_id\":\"vd\",\"width\":640,\"height\":480,\"duration\":5}",
                "\"document\":{\"file_id\":\"d1\",\"file_unique_id\":\"d\",\"file_name\":\"label.pdf\","
                        + "\"mime_type\":\"application/pdf\"},\"caption\":\"my label\"",
                "\"sticker\":{\"file_id\":\"s1\",\"file_unique_id\":\"s\",\"width\":512,\"height\":512,"
                        + "\"is_animated\":false,\"is_video\":false,\"type\":\"regular\"}",
                "\"location\":{\"latitude\":59.9139,\"longitude\":10.7522}",
                "\"contact\":{\"phone_number\":\"+4790000000\",\"first_name\":\"Ola\"}",
                "\"dice\":{\"emoji\":\"\uD83C\uDFB2\",\"value\":4}");
        for (String part : parts) {
            accepted("{\"update_id\":" + UPDATE_IDS.incrementAndGet() + ",\"message\":{\"message_id\":"
                    + UPDATE_IDS.incrementAndGet() % 100000 + "," + from + "," + in + "," + part + "}}");
        }

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, "\"" + chat + "\"").size() == 8);
        List<JsonNode> messages = callbacksMentioning(MESSAGE_RECEIVE, "\"" + chat + "\"").stream()
                .map(c -> c.at("/messages/0")).toList();
        assertThat(messages).extracting(m -> m.get("type").asText()).containsExactlyInAnyOrder("voice", "audio",
                "video", "document", "image", "location", "system", "system");
        assertThat(messages).anySatisfy(m -> assertThat(m.at("/document/filename").asText()).isEqualTo("label.pdf"));
        assertThat(messages).anySatisfy(m -> assertThat(m.at("/voice/id").asText()).isEqualTo("v1"));
        assertThat(messages).anySatisfy(m -> assertThat(m.at("/location/latitude").asText()).isEqualTo("59.9139"));
        assertThat(messages).anySatisfy(m -> assertThat(m.at("/originalMessage/dice/value").asInt()).isEqualTo(4));
        assertThat(messages).anySatisfy(m -> assertThat(m.at("/originalMessage/contact/first_name").asText())
                .isEqualTo("Ola"));
    }

    @Test
    void messageSendBecomesBotApiCalls() {
        PROVIDERS.stubFor(post(urlPathMatching(BOT + "/send.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withTransformers("response-template").withBody("{\"ok\":true,\"result\":{\"message_id\":"
                        + "{{randomInt lower=100000 upper=999999999}},\"chat\":{\"id\":555000111}}}")));
        String to = "\"channelId\":\"tg-telegram\",\"to\":{\"phone\":\"555000111\"}";
        Map<String, String> sends = Map.of(
                "{" + to + ",\"type\":\"text\",\"text\":{\"body\":\"On its way\"}}",
                "/sendMessage|{\"chat_id\":\"555000111\",\"text\":\"On its way\"}",
                "{" + to + ",\"type\":\"image\",\"image\":{\"link\":\"https://cdn.example.com/l.png\",\"caption\":"
                        + "\"Label\"}}",
                "/sendPhoto|{\"chat_id\":\"555000111\",\"photo\":\"https://cdn.example.com/l.png\",\"caption\":"
                        + "\"Label\"}",
                "{" + to + ",\"type\":\"location\",\"location\":{\"latitude\":\"52.52\",\"longitude\":\"13.405\"}}",
                "/sendLocation|{\"chat_id\":\"555000111\",\"latitude\":52.52,\"longitude\":13.405}",
                "{" + to + ",\"type\":\"template\",\"template\":{\"id\":\"order_update\",\"data\":{\"1\":\"Ivan\","
                        + "\"2\":\"today\"}}}",
                "/sendMessage|{\"chat_id\":\"555000111\",\"text\":\"Hi Ivan, your order ships today. Thanks!\"}");

        sends.forEach((request, expected) -> {
            var reply = api.post("/api/v1/message/send", "wa-key", request);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            String[] call = expected.split("\\|", 2);
            await().atMost(PATIENCE).untilAsserted(() -> PROVIDERS.verify(postRequestedFor(urlEqualTo(BOT + call[0]))
                    .withRequestBody(equalToJson(call[1]))));
            String sessionId = reply.data().get("sessionId").asText();
            await().atMost(PATIENCE).until(() -> api.get("/api/v1/session/messages?sessionId=" + sessionId, "wa-key")
                    .data().get("messageIdExt").asText().matches("555000111:\\d+"));
        });
    }

    @Test
    void whatTelegramCanCarryIsSentAndWhatItCannotIsRefusedNamed() {
        PROVIDERS.stubFor(post(urlPathMatching(BOT + "/send.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withTransformers("response-template").withBody("{\"ok\":true,\"result\":{\"message_id\":"
                        + "{{randomInt lower=100000 upper=999999999}},\"chat\":{\"id\":555000222}}}")));
        String to = "\"channelId\":\"tg-telegram\",\"to\":{\"phone\":\"555000222\"}";

        var venue = api.post("/api/v1/message/send", "wa-key", "{" + to + ",\"type\":\"location\",\"location\":"
                + "{\"latitude\":\"59.91\",\"longitude\":\"10.75\",\"name\":\"Oslo S\","
                + "\"address\":\"Jernbanetorget 1\"}}");
        var card = api.post("/api/v1/message/send", "wa-key", "{" + to + ",\"type\":\"contacts\",\"contacts\":[{"
                + "\"name\":{\"formatted_name\":\"Ola Nordmann\",\"first_name\":\"Ola\",\"last_name\":\"Nordmann\"},"
                + "\"phones\":[{\"phone\":\"+4790000000\"}],"
                + "\"emails\":[{\"email\":\"ola@example.no\",\"type\":\"WORK\"}]}]}");
        var twoCards = api.post("/api/v1/message/send", "wa-key", "{" + to + ",\"type\":\"contacts\",\"contacts\":["
                + "{\"name\":{\"formatted_name\":\"A\"},\"phones\":[{\"phone\":\"+1\"}]},"
                + "{\"name\":{\"formatted_name\":\"B\"},\"phones\":[{\"phone\":\"+2\"}]}]}");
        PROVIDERS.stubFor(get("/files/f.pdf").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/pdf").withBody("%PDF-1.4 an invoice")));
        var named = api.post("/api/v1/message/send", "wa-key", "{" + to + ",\"type\":\"document\",\"document\":"
                + "{\"link\":\"http://127.0.0.1:" + PROVIDERS.port() + "/files/f.pdf\",\"filename\":\"Rechnung März"
                + ".pdf\",\"caption\":\"your invoice\"}}");

        assertThat(venue.status()).as(venue.body()).isEqualTo(200);
        assertThat(card.status()).as(card.body()).isEqualTo(200);
        assertThat(twoCards.status()).isEqualTo(400);
        assertThat(twoCards.errorCode()).isEqualTo("UNSUPPORTED_FIELD");
        assertThat(twoCards.errorFields()).containsExactly("contacts[1]");
        assertThat(named.status()).as(named.body()).isEqualTo(200);
        // the keys WhatsApp reads as template components are ordinary placeholders here
        var placeholders = api.post("/api/v1/message/send", "wa-key", "{" + to + ",\"type\":\"template\","
                + "\"template\":{\"id\":\"order_update\",\"data\":{\"1\":\"Ivan\",\"body\":\"x\","
                + "\"header\":\"y\"}}}");
        assertThat(placeholders.status()).as(placeholders.body()).isEqualTo(200);
        // a named document is uploaded under its name (Telegram would name one it fetches after its link)
        await().atMost(PATIENCE).untilAsserted(() -> PROVIDERS.verify(postRequestedFor(urlEqualTo(BOT
                + "/sendDocument")).withHeader("Content-Type", containing("multipart/form-data"))
                .withRequestBodyPart(aMultipart("document").withBody(equalTo("%PDF-1.4 an invoice")).build())
                .withRequestBodyPart(aMultipart("caption").withBody(equalTo("your invoice")).build())
                .withRequestBodyPart(aMultipart("chat_id").withBody(equalTo("555000222")).build())));
        assertThat(new String(PROVIDERS.findAll(postRequestedFor(urlEqualTo(BOT + "/sendDocument"))).get(0)
                .getBody(), StandardCharsets.UTF_8)).contains("name=\"document\"; filename=\"Rechnung März.pdf\"");
        await().atMost(PATIENCE).untilAsserted(() -> {
            PROVIDERS.verify(postRequestedFor(urlEqualTo(BOT + "/sendVenue")).withRequestBody(equalToJson(
                    "{\"chat_id\":\"555000222\",\"latitude\":59.91,\"longitude\":10.75,\"title\":\"Oslo S\","
                            + "\"address\":\"Jernbanetorget 1\"}")));
            PROVIDERS.verify(postRequestedFor(urlEqualTo(BOT + "/sendContact")).withRequestBody(
                    matchingJsonPath("$.vcard",
                            containing(
                                    "EMAIL;TYPE=WORK:ola@example.no"))));
        });
    }

    @Test
    void aReceivedFileIsFetchedThroughGetFile() {
        long chat = 720000000L + UPDATE_IDS.incrementAndGet() % 1000000;
        String fileId = "doc-" + chat;
        PROVIDERS.stubFor(get(urlEqualTo(BOT + "/getFile?file_id="
                + fileId)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":true,\"result\":{\"file_id\":\"" + fileId + "\",\"file_path\":\"documents/"
                        + fileId + ".pdf\"}}")));
        PROVIDERS.stubFor(get(urlEqualTo("/file" + BOT
                + "/documents/" + fileId + ".pdf")).willReturn(aResponse().withStatus(200).withBody("%PDF label")));
        accepted("{\"update_id\":" + UPDATE_IDS.incrementAndGet() + ",\"message\":{\"message_id\":5,\"from\":{\"id\":"
                + chat + ",\"first_name\":\"Lea\"},\"chat\":{\"id\":" + chat + ",\"type\":\"private\"},\"date\":1,"
                + "\"document\":{\"file_id\":\"" + fileId + "\",\"file_unique_id\":\"u\","
                + "\"mime_type\":\"application/pdf\"}}}");

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, fileId).size() == 1);
        String link = callbacksMentioning(MESSAGE_RECEIVE, fileId).get(0).at("/messages/0/document/link").asText();
        var file = api.get(link.substring(link.indexOf("/api/v1/media/")), TENANT_KEY);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.body()).isEqualTo("%PDF label");
        assertThat(file.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/pdf"));
    }

    private void accepted(String json) {
        var reply = update(json, "tg-secret-token");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private Api.Reply update(String json, String secretToken) {
        var request = api.request("/webhooks/telegram/tg-telegram", null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (secretToken != null) {
            request.header("X-Telegram-Bot-Api-Secret-Token", secretToken);
        }
        return api.send(request);
    }
}
