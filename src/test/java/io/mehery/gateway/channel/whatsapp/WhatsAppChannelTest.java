package io.mehery.gateway.channel.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mehery.gateway.WebhookReceiver.ACTION_EVENT;
import static io.mehery.gateway.WebhookReceiver.CONTACT_INFO;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static io.mehery.gateway.channel.Providers.fixture;
import static io.mehery.gateway.channel.Providers.metaSignature;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.mehery.gateway.Api;
import io.mehery.gateway.channel.ChannelTestSupport;

/**
 * The WhatsApp channel end to end: Meta's handshake and signatures, every message kind into Mehery callbacks,
 * receipts into message status, and message/send as the exact Cloud API request, against a Graph API stub.
 */
class WhatsAppChannelTest extends ChannelTestSupport {

    static final String APP_SECRET = "wa-app-secret";
    static final String MESSAGES_PATH = "/v21.0/106540352242922/messages";

    @Test
    void answersMetasHandshakeOnlyWithTheChannelsVerifyToken() {
        var ok = api.get("/webhooks/whatsapp/wa-whatsapp?hub.mode=subscribe&hub.verify_token=wa-hub-token"
                + "&hub.challenge=1158201444", null);
        var wrong = api.get("/webhooks/whatsapp/wa-whatsapp?hub.mode=subscribe&hub.verify_token=guess"
                + "&hub.challenge=1158201444", null);
        var notWhatsApp = api.get("/webhooks/whatsapp/sandbox?hub.mode=subscribe&hub.verify_token=wa-hub-token"
                + "&hub.challenge=1", null);

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        assertThat(ok.response().headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(notWhatsApp.status()).isEqualTo(404);
    }

    @Test
    void aSignedTextBecomesAMessageReceiveCallbackWithTheSendersName() {
        String uid = UUID.randomUUID().toString();
        String payload = fixture("whatsapp/text.json").replace("${uid}", uid);

        var reply = notify(payload, metaSignature(APP_SECRET, payload));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, "wamid.TEXT-" + uid).size() == 1);
        JsonNode callback = callbacksMentioning(MESSAGE_RECEIVE, "wamid.TEXT-" + uid).get(0);
        assertThat(callback.at("/messages/0/text/body").asText()).isEqualTo("Hi, is my order on its way? été");
        assertThat(callback.at("/messages/0/from").asText()).isEqualTo("+16315551181");
        assertThat(callback.at("/contacts/0/profile/name").asText()).isEqualTo("Kerry Fisher");
        assertThat(callback.at("/contacts/0/contactType").asText()).isEqualTo("WHATSAPP");
    }

    @Test
    void aForgedTamperedOrMissingSignatureIsRefusedAndNothingStored() {
        String uid = UUID.randomUUID().toString();
        String payload = fixture("whatsapp/text.json").replace("${uid}", uid);

        var forged = notify(payload, "sha256=" + "ab".repeat(32));
        var tampered = notify(payload.replace("on its way", "cancelled"), metaSignature(APP_SECRET, payload));
        var missing = notify(payload, null);
        var garbage = notify(payload, "sha256=not-hex");

        for (Api.Reply reply : List.of(forged, tampered, missing, garbage)) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(401);
            assertThat(reply.errorCode()).isEqualTo("INVALID_SIGNATURE");
        }
        // a correctly signed copy afterwards is the first the gateway stores
        assertThat(notify(payload, metaSignature(APP_SECRET, payload)).status()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, "wamid.TEXT-" + uid).size() == 1);
    }

    @Test
    void aRedeliveredNotificationMakesNoSecondMessageNorCallback() {
        String uid = UUID.randomUUID().toString();
        String payload = fixture("whatsapp/text.json").replace("${uid}", uid);

        var first = notify(payload, metaSignature(APP_SECRET, payload));
        var again = notify(payload, metaSignature(APP_SECRET, payload));

        assertThat(again.status()).isEqualTo(200);
        assertThat(first.status()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, "wamid.TEXT-" + uid).size() == 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> callbacksMentioning(MESSAGE_RECEIVE, "wamid.TEXT-" + uid).size() == 1);
    }

    @Test
    void everyMessageKindOfOneNotificationBecomesItsMeheryCallback() {
        String uid = UUID.randomUUID().toString();
        String payload = fixture("whatsapp/every-kind.json").replace("${uid}", uid);

        assertThat(notify(payload, metaSignature(APP_SECRET, payload)).status()).isEqualTo(200);

        // an action/event names the contact and message, not the provider's message id: Ravi is this test's own
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, uid).size() == 12
                && callbacksMentioning(ACTION_EVENT, "+16315552222").size() == 3);
        Map<String, JsonNode> byId = new java.util.HashMap<>();
        callbacksMentioning(MESSAGE_RECEIVE, uid).forEach(c -> byId.put(
                c.at("/messages/0/messageIdExt").asText().replace("-" + uid, ""), c.at("/messages/0")));
        assertThat(byId.get("wamid.IMG").get("type").asText()).isEqualTo("image");
        assertThat(byId.get("wamid.IMG").at("/image/id").asText()).isEqualTo("1003383421387256");
        assertThat(byId.get("wamid.IMG").at("/image/mime_type").asText()).isEqualTo("image/jpeg");
        assertThat(byId.get("wamid.IMG").at("/image/sha256").asText()).isEqualTo("a1b2c3");
        assertThat(byId.get("wamid.IMG").at("/image/caption").asText()).isEqualTo("my receipt");
        assertThat(byId.get("wamid.IMG").at("/image/type").asText()).isEqualTo("image");
        assertThat(byId.get("wamid.IMG").at("/image/link").asText())
                .isEqualTo("http://localhost:8080/api/v1/media/" + byId.get("wamid.IMG").get("id").asText());
        assertThat(byId.get("wamid.STICKER").at("/originalMessage/sticker/animated").isBoolean()).isTrue();
        // a button press is a message too: its title, the action in message/receive, and action/event after it
        assertThat(byId.get("wamid.BTN").at("/text/body").asText()).startsWith("Yes, confi");
        assertThat(byId.get("wamid.BTN").at("/originalMessage/interactive/button_reply/id").asText())
                .isEqualTo("CONFIRM_ORDER");
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, uid)).filteredOn(c -> !c.get("actions").isEmpty())
                .extracting(c -> c.at("/actions/0/actionCode").asText())
                .containsExactlyInAnyOrder("CONFIRM_ORDER", "SLOT_2", "STOP_PROMOS");
        assertThat(byId.get("wamid.VOICE").get("type").asText()).isEqualTo("voice");
        assertThat(byId.get("wamid.DOC").at("/document/filename").asText()).isEqualTo("invoice.pdf");
        assertThat(byId.get("wamid.VID").get("type").asText()).isEqualTo("video");
        assertThat(byId.get("wamid.STICKER").at("/image/mime_type").asText()).isEqualTo("image/webp");
        assertThat(byId.get("wamid.LOC").at("/location/name").asText()).isEqualTo("Philz Coffee");
        assertThat(byId.get("wamid.LOC").at("/location/latitude").asText()).isEqualTo("37.483307");
        assertThat(byId.get("wamid.CONTACTS").get("type").asText()).isEqualTo("system");
        assertThat(byId.get("wamid.CONTACTS").at("/originalMessage/contacts/0/name/formatted_name").asText())
                .isEqualTo("Barbara Johnson");
        assertThat(byId.get("wamid.REACT").at("/originalMessage/reaction/emoji").asText()).isEqualTo("\uD83D\uDC4D");
        assertThat(byId.get("wamid.UNSUP").get("type").asText()).isEqualTo("system");
        assertThat(byId.get("wamid.UNSUP").at("/originalMessage/errors/0/code").asInt()).isEqualTo(131051);
        assertThat(callbacksMentioning(ACTION_EVENT, "+16315552222")).extracting(a -> a.get("actionCode").asText())
                .containsExactlyInAnyOrder("CONFIRM_ORDER", "SLOT_2", "STOP_PROMOS");
        assertThat(receiver.received("wa", CONTACT_INFO)).anySatisfy(
                r -> assertThat(r.getBodyAsString()).contains("+16315552222", "Ravi"));
    }

    @Test
    void aReplyPointsAtTheMessageItAnswersAndAnEditChangesTheStoredMessage() {
        String uid = UUID.randomUUID().toString();
        String user = "1" + (System.nanoTime() % 10000000000L);
        String payload = fixture("whatsapp/reply-and-edit.json").replace("${uid}", uid).replace("16315552222", user);

        assertThat(notify(payload, metaSignature(APP_SECRET, payload)).status()).isEqualTo(200);
        assertThat(notify(payload, metaSignature(APP_SECRET, payload)).status()).as("Meta's redelivery").isEqualTo(200);

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, uid).size() == 3);
        String sessionId = callbacksMentioning(MESSAGE_RECEIVE, uid).get(0).at("/messages/0/session/sessionId")
                .asText();
        JsonNode history = api.get("/api/v1/session/messages?sessionId=" + sessionId, "wa-key").json().get("results");
        assertThat(history).hasSize(2);
        JsonNode asked = history.get(0);
        JsonNode reply = history.get(1);
        assertThat(asked.get("text").asText()).isEqualTo("Is the blue one in stock?");
        assertThat(asked.at("/stamps/edited").asLong()).isPositive();
        assertThat(reply.get("replyIdExt").asText()).isEqualTo("wamid.ASK-" + uid);
        assertThat(reply.get("replyId").asText()).isEqualTo(asked.get("messageId").asText());
        assertThat(reply.get("messageIdRef").asText()).isEqualTo(asked.get("messageId").asText());
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, uid)).anySatisfy(c -> assertThat(
                c.at("/messages/0/originalMessage/edit/original_message_id").asText()).isEqualTo("wamid.ASK-" + uid));
    }

    @Test
    void partsWhatsAppHasNoFieldForAreRefusedNamedNotDropped() {
        String to = "\"channelId\":\"wa-whatsapp\",\"to\":{\"phone\":\"+16315554444\"}";
        var captionedAudio = api.post("/api/v1/message/send", "wa-key", "{" + to + ",\"type\":\"audio\","
                + "\"audio\":{\"link\":\"https://cdn.example.com/a.mp3\",\"caption\":\"listen\"}}");
        var namedImage = api.post("/api/v1/message/send", "wa-key", "{" + to + ",\"type\":\"image\","
                + "\"image\":{\"link\":\"https://cdn.example.com/a.png\",\"filename\":\"a.png\"}}");

        assertThat(captionedAudio.status()).isEqualTo(400);
        assertThat(captionedAudio.errorCode()).isEqualTo("UNSUPPORTED_FIELD");
        assertThat(captionedAudio.errorFields()).containsExactly("audio.caption");
        assertThat(namedImage.status()).isEqualTo(400);
        assertThat(namedImage.errorFields()).containsExactly("image.filename");
    }

    @Test
    void aSendInTheCallersTraceReachesTheProviderInThatTraceAndItsSpansAreExported() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES_PATH)).withRequestBody(matchingJsonPath("$.text.body",
                equalTo("Traced all the way"))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"messaging_product":"whatsapp","messages":[{"id":"wamid.TRACED"}]}""")));

        var sent = api.send(api.request("/api/v1/message/send", "wa-key").header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"channelId":"wa-whatsapp","to":{"phone":"+16315554444"},"type":"text",
                         "text":{"body":"Traced all the way"}}""")));

        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.json().get("traceid").asText()).isEqualTo(traceId);
        await().atMost(PATIENCE).untilAsserted(() -> PROVIDERS.verify(postRequestedFor(urlEqualTo(MESSAGES_PATH))
                .withRequestBody(matchingJsonPath("$.text.body", equalTo("Traced all the way")))
                .withHeader("traceparent", matching("00-" + traceId + "-(?!00f067aa0ba902b7)[0-9a-f]{16}-01"))));
        String providerCallSpan = PROVIDERS.findAll(postRequestedFor(urlEqualTo(MESSAGES_PATH))
                .withRequestBody(matchingJsonPath("$.text.body", equalTo("Traced all the way")))).get(0)
                .getHeader("traceparent").split("-")[2];
        await().atMost(PATIENCE).until(() -> exportedSpansHold(traceId, "00f067aa0ba902b7", providerCallSpan));
    }

    @Test
    void messageSendBecomesTheCloudApiCallAndReceiptsMoveItsStatus() {
        String wamid = "wamid.OUT-" + UUID.randomUUID();
        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES_PATH)).withRequestBody(matchingJsonPath("$.text.body",
                equalTo("Your order ships today"))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"messaging_product":"whatsapp","contacts":[{"input":"+16315553333","wa_id":"16315553333"}],
                         "messages":[{"id":"%s"}]}""".formatted(wamid))));

        var sent = api.post("/api/v1/message/send", "wa-key", """
                {"channelId":"wa-whatsapp","to":{"phone":"+16315553333"},"type":"text",
                 "text":{"body":"Your order ships today"}}""");

        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        String sessionId = sent.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("sent"));
        assertThat(latest(sessionId).get("messageIdExt").asText()).isEqualTo(wamid);
        PROVIDERS.verify(postRequestedFor(urlEqualTo(MESSAGES_PATH))
                .withHeader("Authorization", equalTo("Bearer wa-access-token"))
                .withRequestBody(equalToJson("""
                        {"messaging_product":"whatsapp","recipient_type":"individual","to":"+16315553333",
                         "type":"text","text":{"preview_url":false,"body":"Your order ships today"}}""")));

        String receipts = fixture("whatsapp/statuses.json").replace("${wamid}", wamid);
        assertThat(notify(receipts, metaSignature(APP_SECRET, receipts)).status()).isEqualTo(200);
        JsonNode message = latest(sessionId);
        assertThat(message.get("status").asText()).as("read is the furthest, though sent came late")
                .isEqualTo("read");
        assertThat(message.get("stamps").get("delivered").asLong()).isEqualTo(1732441400000L);
        assertThat(message.get("stamps").get("read").asLong()).isEqualTo(1732441410000L);

        String failed = fixture("whatsapp/failed-status.json").replace("${wamid}", wamid);
        assertThat(notify(failed, metaSignature(APP_SECRET, failed)).status()).isEqualTo(200);
        assertThat(latest(sessionId).get("status").asText()).isEqualTo("failed");
        assertThat(latest(sessionId).get("logs").get(0).asText()).contains("131047", "24 hours");

        // the send's timeline: accepted, the provider's answer (sent), its receipts, and why it failed
        Api.Reply timeline = api.get("/api/v1/admin/messages/" + sent.data().get("id").asText() + "/timeline",
                "wa-key");
        assertThat(timeline.status()).as(timeline.body()).isEqualTo(200);
        List<String> events = new ArrayList<>();
        timeline.data().get("timeline").forEach(e -> events.add(e.get("event").asText()));
        assertThat(events).contains("accepted", "sent", "delivered", "read", "failed");
        assertThat(timeline.data().get("direction").asText()).isEqualTo("outbound");
        timeline.data().get("timeline").forEach(e -> {
            if (e.get("event").asText().equals("failed")) {
                assertThat(e.get("detail").asText()).contains("131047");
            }
        });
    }

    @Test
    void everySendableTypeHasItsCloudApiShape() {
        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES_PATH)).atPriority(10).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"messages\":[{\"id\":\"wamid.{{randomValue length=24 type='ALPHANUMERIC'}}\"}]}")));
        String to = "\"to\":{\"phone\":\"+16315554444\"}";
        Map<String, String> sends = Map.of(
                "{\"channelId\":\"wa-whatsapp\"," + to + ",\"type\":\"document\",\"document\":{\"link\":"
                        + "\"https://cdn.example.com/i.pdf\",\"caption\":\"Invoice\",\"filename\":\"i.pdf\"}}",
                "{\"type\":\"document\",\"document\":{\"link\":\"https://cdn.example.com/i.pdf\",\"caption\":"
                        + "\"Invoice\",\"filename\":\"i.pdf\"}}",
                "{\"channelId\":\"wa-whatsapp\"," + to + ",\"type\":\"location\",\"location\":{\"latitude\":"
                        + "\"52.52\",\"longitude\":\"13.405\",\"name\":\"Store\"}}",
                "{\"type\":\"location\",\"location\":{\"latitude\":52.52,\"longitude\":13.405,\"name\":\"Store\"}}",
                "{\"channelId\":\"wa-whatsapp\"," + to + ",\"type\":\"template\",\"template\":{\"id\":"
                        + "\"order_update\",\"data\":{\"2\":\"today\",\"1\":\"Ann\"}}}",
                "{\"type\":\"template\",\"template\":{\"name\":\"order_update\",\"language\":{\"code\":\"en_US\"},"
                        + "\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"Ann\"},"
                        + "{\"type\":\"text\",\"text\":\"today\"}]}]}}",
                "{\"channelId\":\"wa-whatsapp\"," + to + ",\"type\":\"contacts\",\"contacts\":[{\"name\":"
                        + "{\"formatted_name\":\"Help Desk\"},\"phones\":[{\"phone\":\"+15550009999\",\"type\":\"WORK\"}]}]}",
                "{\"type\":\"contacts\",\"contacts\":[{\"name\":{\"formatted_name\":\"Help Desk\"},\"phones\":"
                        + "[{\"phone\":\"+15550009999\",\"type\":\"WORK\"}]}]}",
                "{\"channelId\":\"wa-whatsapp\"," + to + ",\"type\":\"image\",\"image\":{\"link\":"
                        + "\"https://cdn.example.com/p.png\",\"caption\":\"Look\"}}",
                "{\"type\":\"image\",\"image\":{\"link\":\"https://cdn.example.com/p.png\",\"caption\":\"Look\"}}");

        sends.forEach((request, expected) -> {
            var reply = api.post("/api/v1/message/send", "wa-key", request);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            await().atMost(PATIENCE).untilAsserted(() -> PROVIDERS.verify(postRequestedFor(urlEqualTo(MESSAGES_PATH))
                    .withRequestBody(equalToJson(expected, true, true))));
        });
    }

    @Test
    void aTemplateSendFillsHeaderBodyAndButtonsInItsLanguageAsMetaDefinesThem() {
        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES_PATH)).atPriority(10).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"messages\":[{\"id\":\"wamid.TPL\"}]}")));
        String send = """
                {"channelId":"wa-whatsapp","to":{"phone":"+16315557777"},"type":"template","template":{
                 "id":"shipping_update","data":{"language":"de",
                  "header":{"type":"document","link":"https://cdn.example.com/label.pdf","filename":"label.pdf"},
                  "body":{"customer":"Anna","day":"Montag"},
                  "buttons":[{"type":"quick_reply","payload":"STOP"},{"type":"url","index":2,"text":"track/77"}]}}}""";

        var reply = api.post("/api/v1/message/send", "wa-key", send);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        await().atMost(PATIENCE).untilAsserted(() -> PROVIDERS.verify(postRequestedFor(urlEqualTo(MESSAGES_PATH))
                .withRequestBody(equalToJson("""
                        {"type":"template","template":{"name":"shipping_update","language":{"code":"de"},"components":[
                         {"type":"header","parameters":[{"type":"document","document":{
                           "link":"https://cdn.example.com/label.pdf","filename":"label.pdf"}}]},
                         {"type":"body","parameters":[{"type":"text","text":"Anna","parameter_name":"customer"},
                           {"type":"text","text":"Montag","parameter_name":"day"}]},
                         {"type":"button","index":"0","sub_type":"quick_reply","parameters":[
                           {"type":"payload","payload":"STOP"}]},
                         {"type":"button","index":"2","sub_type":"url","parameters":[{"type":"text","text":"track/77"}]}
                        ]}}""", true, true))));

        var badHeader = api.post("/api/v1/message/send", "wa-key", send.replace("\"type\":\"document\"",
                "\"type\":\"sticker\""));
        var badButton = api.post("/api/v1/message/send", "wa-key", send.replace("\"payload\":\"STOP\"",
                "\"text\":\"STOP\""));
        assertThat(badHeader.status()).isEqualTo(400);
        assertThat(badHeader.errorFields()).containsExactly("template.data.header.type");
        assertThat(badButton.status()).isEqualTo(400);
        assertThat(badButton.errorFields()).containsExactly("template.data.buttons[0].payload");
    }

    @Test
    void aProviderErrorIsRetriedWhenTransientAndFailsTheMessageWhenNot() {
        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES_PATH)).withRequestBody(matchingJsonPath("$.text.body",
                equalTo("flaky graph"))).inScenario("graph").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("recovered").willReturn(aResponse().withStatus(500)));
        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES_PATH)).withRequestBody(matchingJsonPath("$.text.body",
                equalTo("flaky graph"))).inScenario("graph").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody("{\"messages\":[{\"id\":\"wamid.RECOVERED\"}]}")));
        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES_PATH)).withRequestBody(matchingJsonPath("$.text.body",
                equalTo("bad token"))).willReturn(aResponse().withStatus(401).withBody(
                "{\"error\":{\"message\":\"Error validating access token\",\"type\":\"OAuthException\",\"code\":190}}")));

        var flaky = api.post("/api/v1/message/send", "wa-key", "{\"channelId\":\"wa-whatsapp\",\"to\":{\"phone\":"
                + "\"+16315555555\"},\"type\":\"text\",\"text\":{\"body\":\"flaky graph\"}}");
        var refused = api.post("/api/v1/message/send", "wa-key", "{\"channelId\":\"wa-whatsapp\",\"to\":{\"phone\":"
                + "\"+16315556666\"},\"type\":\"text\",\"text\":{\"body\":\"bad token\"}}");

        await().atMost(PATIENCE).until(() -> latest(flaky.data().get("sessionId").asText())
                .get("status").asText().equals("sent"));
        assertThat(latest(flaky.data().get("sessionId").asText()).get("messageIdExt").asText())
                .isEqualTo("wamid.RECOVERED");
        await().atMost(PATIENCE).until(() -> latest(refused.data().get("sessionId").asText())
                .get("status").asText().equals("failed"));
        assertThat(latest(refused.data().get("sessionId").asText()).get("logs").get(0).asText())
                .contains("401", "Error validating access token");
    }

    @Test
    void aReceivedImageIsFetchedFromTheGraphApiThroughItsLink() throws Exception {
        String uid = UUID.randomUUID().toString();
        byte[] photo = ("\u0089PNG fake image " + uid).getBytes(StandardCharsets.UTF_8);
        String sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(photo));
        String fileUrl = "http://127.0.0.1:" + PROVIDERS.port() + "/whatsapp-cdn/" + uid;
        PROVIDERS.stubFor(get(urlEqualTo("/v21.0/media-" + uid)).withHeader("Authorization",
                equalTo("Bearer wa-access-token")).willReturn(aResponse().withStatus(200).withBody(
                "{\"url\":\"" + fileUrl + "\",\"mime_type\":\"image/png\",\"sha256\":\"" + sha256 + "\"}")));
        PROVIDERS.stubFor(get(urlEqualTo("/whatsapp-cdn/" + uid)).withHeader("Authorization",
                equalTo("Bearer wa-access-token")).willReturn(aResponse().withStatus(200).withBody(photo)));
        String payload = fixture("whatsapp/text.json").replace("${uid}", uid).replace(
                "\"text\":{\"body\":\"Hi, is my order on its way? \\u00e9t\\u00e9\"},\"type\":\"text\"",
                "\"type\":\"image\",\"image\":{\"id\":\"media-" + uid + "\",\"mime_type\":\"image/png\","
                        + "\"sha256\":\"" + sha256 + "\"}");

        assertThat(notify(payload, metaSignature(APP_SECRET, payload)).status()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, "media-" + uid).size() == 1);
        String link = callbacksMentioning(MESSAGE_RECEIVE, "media-" + uid).get(0).at("/messages/0/image/link").asText();
        String path = link.substring(link.indexOf("/api/v1/media/"));

        var file = api.send(api.request(path, TENANT_KEY).GET());
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(new String(photo, StandardCharsets.UTF_8));
        assertThat(file.response().headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("image/png"));
        assertThat(api.get(path, Api.DEMO_KEY).status()).as("another tenant's media").isEqualTo(404);

        PROVIDERS.stubFor(get(urlEqualTo("/whatsapp-cdn/" + uid)).willReturn(aResponse().withStatus(200)
                .withBody("tampered")));
        var tampered = api.get(path, TENANT_KEY);
        assertThat(tampered.status()).isEqualTo(502);
        assertThat(tampered.errorCode()).isEqualTo("MEDIA_UNAVAILABLE");
    }

    private Api.Reply notify(String payload, String signature) {
        var request = api.request("/webhooks/whatsapp/wa-whatsapp", null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return api.send(request);
    }

}
