package io.mehery.gateway.channel.messenger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mehery.gateway.WebhookReceiver.ACTION_EVENT;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static io.mehery.gateway.channel.Providers.metaSignature;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.channel.ChannelTestSupport;

/** Facebook Messenger and Instagram, both on the Messenger Platform: handshake, signed events, receipts, sends. */
class MessengerChannelTest extends ChannelTestSupport {

    @Test
    void handshakesAnswerOnlyTheirOwnVerifyToken() {
        assertThat(api.get("/webhooks/facebook/fb-page?hub.mode=subscribe&hub.verify_token=fb-hub-token"
                + "&hub.challenge=77", null).body()).isEqualTo("77");
        assertThat(api.get("/webhooks/instagram/ig-account?hub.mode=subscribe&hub.verify_token=ig-hub-token"
                + "&hub.challenge=78", null).body()).isEqualTo("78");
        assertThat(api.get("/webhooks/instagram/ig-account?hub.mode=subscribe&hub.verify_token=fb-hub-token"
                + "&hub.challenge=79", null).status()).isEqualTo(403);
        assertThat(api.get("/webhooks/facebook/ig-account?hub.mode=subscribe&hub.verify_token=ig-hub-token"
                + "&hub.challenge=79", null).status()).isEqualTo(404);
    }

    @Test
    void messengerEventsBecomeCallbacksEchoesAreIgnoredAndForgeriesRefused() {
        String psid = "24" + (System.nanoTime() % 100000000000L);
        String uid = UUID.randomUUID().toString();
        String events = """
                {"object":"page","entry":[{"id":"112233445566","time":1732441700000,"messaging":[
                 {"sender":{"id":"%1$s"},"recipient":{"id":"112233445566"},"timestamp":1732441700001,
                  "message":{"mid":"m_text_%2$s","text":"Do you ship to Oslo?"}},
                 {"sender":{"id":"%1$s"},"recipient":{"id":"112233445566"},"timestamp":1732441700002,
                  "message":{"mid":"m_img_%2$s","attachments":[{"type":"image","payload":{"url":"https://scontent.example.com/p.jpg"}}]}},
                 {"sender":{"id":"%1$s"},"recipient":{"id":"112233445566"},"timestamp":1732441700003,
                  "message":{"mid":"m_qr_%2$s","text":"Yes","quick_reply":{"payload":"SHIP_YES"}}},
                 {"sender":{"id":"%1$s"},"recipient":{"id":"112233445566"},"timestamp":1732441700004,
                  "postback":{"mid":"m_pb_%2$s","title":"Talk to an agent","payload":"AGENT"}},
                 {"sender":{"id":"112233445566"},"recipient":{"id":"%1$s"},"timestamp":1732441700005,
                  "message":{"mid":"m_echo_%2$s","is_echo":true,"text":"We do!"}}
                ]}]}""".formatted(psid, uid);

        assertThat(notify("facebook/fb-page", events, "sha256=" + "00".repeat(32)).status()).isEqualTo(401);
        assertThat(notify("facebook/fb-page", events, null).status()).isEqualTo(401);
        assertThat(notify("facebook/fb-page", events, metaSignature("fb-app-secret", events)).status()).isEqualTo(200);
        assertThat(notify("facebook/fb-page", events, metaSignature("fb-app-secret", events)).status())
                .as("Meta's redelivery")
                .isEqualTo(200);

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, uid).size() == 4
                && callbacksMentioning(ACTION_EVENT, psid).size() == 2);
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, uid)).extracting(m -> m.at("/messages/0/type").asText())
                .containsExactlyInAnyOrder("text", "image", "text", "text");
        // the client fetches the file from the gateway, which holds the page token; history keeps Meta's URL too
        JsonNode image = callbacksMentioning(MESSAGE_RECEIVE, uid).stream()
                .filter(m -> m.at("/messages/0/type").asText().equals("image")).findFirst().orElseThrow();
        String imageId = image.at("/messages/0/id").asText();
        assertThat(image.at("/messages/0/image/link").asText()).endsWith("/api/v1/media/" + imageId);
        assertThat(api.get("/api/v1/session/messages?sessionId=" + image.at("/messages/0/session/sessionId").asText(),
                "wa-key").json().get("results")).anySatisfy(m -> {
                    assertThat(m.at("/attachments/0/mediaSrc").asText())
                            .isEqualTo("https://scontent.example.com/p.jpg");
                    assertThat(m.at("/attachments/0/mediaURL").asText()).endsWith("/api/v1/media/" + imageId);
                });
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, uid)).filteredOn(m -> !m.get("actions").isEmpty())
                .extracting(m -> m.at("/actions/0/actionCode").asText()).containsExactlyInAnyOrder("SHIP_YES", "AGENT");
        assertThat(callbacksMentioning(ACTION_EVENT, psid)).extracting(a -> a.get("actionCode").asText())
                .containsExactlyInAnyOrder("SHIP_YES", "AGENT");
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, "m_echo_" + uid)).isEmpty();
    }

    @Test
    void anAttachmentWhoseLinkIsNoUrlIsUnavailableNotAnError() {
        String psid = "28" + (System.nanoTime() % 100000000000L);
        String events = "{\"object\":\"page\",\"entry\":[{\"id\":\"112233445566\",\"time\":1,\"messaging\":["
                + "{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"112233445566\"},\"timestamp\":2,"
                + "\"message\":{\"mid\":\"m_bad_" + psid + "\",\"attachments\":[{\"type\":\"image\","
                + "\"payload\":{\"url\":\"http:// not a url\"}}]}}]}]}";

        assertThat(notify("facebook/fb-page", events, metaSignature("fb-app-secret", events)).status()).isEqualTo(200);

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, "m_bad_" + psid).size() == 1);
        String link = callbacksMentioning(MESSAGE_RECEIVE, "m_bad_" + psid).get(0).at("/messages/0/image/link")
                .asText();
        var file = api.get(link.substring(link.indexOf("/api/v1/media/")), "wa-key");
        assertThat(file.status()).isEqualTo(502);
        assertThat(file.errorCode()).isEqualTo("MEDIA_UNAVAILABLE");
    }

    @Test
    void attachmentsLocationsAndReactionsMapToTheirMeheryTypes() {
        String psid = "27" + (System.nanoTime() % 100000000000L);
        String uid = UUID.randomUUID().toString();
        String event = "{\"sender\":{\"id\":\"" + psid + "\"},\"recipient\":{\"id\":\"112233445566\"},"
                + "\"timestamp\":1732441900000,";
        String events = "{\"object\":\"page\",\"entry\":[{\"id\":\"112233445566\",\"time\":1732441900000,"
                + "\"messaging\":["
                + event + "\"message\":{\"mid\":\"m_a_" + uid + "\",\"attachments\":[{\"type\":\"audio\","
                + "\"payload\":{\"url\":\"https://cdn.example.com/a.mp4\"}}]}},"
                + event + "\"message\":{\"mid\":\"m_v_" + uid + "\",\"attachments\":[{\"type\":\"video\","
                + "\"payload\":{\"url\":\"https://cdn.example.com/v.mp4\"}}]}},"
                + event + "\"message\":{\"mid\":\"m_f_" + uid + "\",\"attachments\":[{\"type\":\"file\","
                + "\"payload\":{\"url\":\"https://cdn.example.com/f.pdf\"}}]}},"
                + event + "\"message\":{\"mid\":\"m_l_" + uid + "\",\"attachments\":[{\"type\":\"location\","
                + "\"title\":\"Pickup\",\"payload\":{\"coordinates\":{\"lat\":59.91,\"long\":10.75}}}]}},"
                + event + "\"reaction\":{\"mid\":\"m_out_x\",\"action\":\"react\",\"emoji\":\"\u2764\","
                + "\"reaction\":\"love\"}},"
                + event + "\"message\":{\"mid\":\"m_two_" + uid + "\",\"text\":\"front and back\",\"attachments\":["
                + "{\"type\":\"image\",\"payload\":{\"url\":\"https://cdn.example.com/1.jpg\"}},"
                + "{\"type\":\"image\",\"payload\":{\"url\":\"https://cdn.example.com/2.jpg\"}}]}}"
                + "]}]}";

        assertThat(notify("facebook/fb-page", events, metaSignature("fb-app-secret", events)).status()).isEqualTo(200);

        // every attachment is a message: the two images of one message too, the first with its text as caption
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, "\"" + psid + "\"").size() == 7);
        List<JsonNode> messages = callbacksMentioning(MESSAGE_RECEIVE, "\"" + psid + "\"").stream()
                .map(c -> c.at("/messages/0")).toList();
        assertThat(messages).extracting(m -> m.get("type").asText())
                .containsExactlyInAnyOrder("audio", "video", "document", "location", "system", "image", "image");
        assertThat(messages).filteredOn(m -> m.get("type").asText().equals("image"))
                .extracting(m -> m.get("messageIdExt").asText(), m -> m.at("/image/caption").asText(null))
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("m_two_" + uid, "front and back"),
                        org.assertj.core.groups.Tuple.tuple("m_two_" + uid + "#2", null));
        assertThat(messages).anySatisfy(m -> assertThat(m.at("/document/link").asText())
                .endsWith("/api/v1/media/" + m.get("id").asText()));
        assertThat(messages).anySatisfy(m -> assertThat(m.at("/location/name").asText()).isEqualTo("Pickup"));
        assertThat(messages).anySatisfy(m -> assertThat(m.at("/originalMessage/reaction/reaction").asText())
                .isEqualTo("love"));
    }

    @Test
    void sendsBecomeSendApiCallsAndDeliveryAndReadEventsMoveTheirStatus() {
        String psid = "25" + (System.nanoTime() % 100000000000L);
        String mid = "m_out_" + UUID.randomUUID();
        PROVIDERS.stubFor(post(urlEqualTo("/fb/v21.0/me/messages")).willReturn(aResponse().withStatus(200)
                .withBody("{\"recipient_id\":\"" + psid + "\",\"message_id\":\"" + mid + "\"}")));

        var sent = api.post("/api/v1/message/send", "wa-key", "{\"channelId\":\"fb-page\",\"to\":{\"phone\":\""
                + psid + "\"},\"type\":\"image\",\"image\":{\"link\":\"https://cdn.example.com/c.png\"}}");
        var refused = api.post("/api/v1/message/send", "wa-key", "{\"channelId\":\"fb-page\",\"to\":{\"phone\":\""
                + psid + "\"},\"type\":\"location\",\"location\":{\"latitude\":\"1\",\"longitude\":\"2\"}}");

        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("UNSUPPORTED_TYPE");
        String sessionId = sent.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("messageIdExt").asText().equals(mid));
        PROVIDERS.verify(postRequestedFor(urlEqualTo("/fb/v21.0/me/messages"))
                .withHeader("Authorization", equalTo("Bearer fb-page-token"))
                .withRequestBody(equalToJson("{\"recipient\":{\"id\":\"" + psid + "\"},\"messaging_type\":\"RESPONSE\","
                        + "\"message\":{\"attachment\":{\"type\":\"image\",\"payload\":{\"url\":"
                        + "\"https://cdn.example.com/c.png\",\"is_reusable\":true}}}}")));

        long later = System.currentTimeMillis() + 60_000;
        String receipts = """
                {"object":"page","entry":[{"id":"112233445566","time":%2$d,"messaging":[
                 {"sender":{"id":"%1$s"},"recipient":{"id":"112233445566"},"timestamp":%2$d,
                  "delivery":{"mids":["%3$s"],"watermark":%2$d}},
                 {"sender":{"id":"%1$s"},"recipient":{"id":"112233445566"},"timestamp":%2$d,"read":{"watermark":%2$d}}
                ]}]}""".formatted(psid, later, mid);
        assertThat(notify("facebook/fb-page", receipts, metaSignature("fb-app-secret", receipts)).status())
                .isEqualTo(200);

        JsonNode message = latest(sessionId);
        assertThat(message.get("status").asText()).isEqualTo("read");
        assertThat(message.get("stamps").get("delivered").asLong()).isEqualTo(later);
    }

    @Test
    void instagramMessagesAndSendsUseItsOwnAccount() {
        String igsid = "26" + (System.nanoTime() % 100000000000L);
        String uid = UUID.randomUUID().toString();
        String event = """
                {"object":"instagram","entry":[{"id":"17841400000000000","time":1732441800000,"messaging":[
                 {"sender":{"id":"%s"},"recipient":{"id":"17841400000000000"},"timestamp":1732441800001,
                  "message":{"mid":"ig_%s","text":"Is this in stock?"}}]}]}""".formatted(igsid, uid);
        PROVIDERS.stubFor(post(urlEqualTo("/ig/v21.0/me/messages")).willReturn(aResponse().withStatus(200)
                .withBody("{\"recipient_id\":\"" + igsid + "\",\"message_id\":\"ig_out_" + uid + "\"}")));

        assertThat(notify("instagram/ig-account", event, metaSignature("fb-app-secret", event)).status())
                .isEqualTo(401);
        assertThat(notify("instagram/ig-account", event, metaSignature("ig-app-secret", event)).status())
                .isEqualTo(200);
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, "ig_" + uid).size() == 1);
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, "ig_" + uid).get(0).at("/contacts/0/contactType").asText())
                .isEqualTo("INSTAGRAM");

        var reply = api.post("/api/v1/message/send", "wa-key", "{\"channelId\":\"ig-account\",\"to\":{\"phone\":\""
                + igsid + "\"},\"type\":\"text\",\"text\":{\"body\":\"Yes, in stock\"}}");
        var document = api.post("/api/v1/message/send", "wa-key", "{\"channelId\":\"ig-account\",\"to\":{\"phone\":\""
                + igsid + "\"},\"type\":\"document\",\"document\":{\"link\":\"https://cdn.example.com/d.pdf\"}}");
        assertThat(document.errorCode()).isEqualTo("UNSUPPORTED_TYPE");
        await().atMost(PATIENCE).until(() -> latest(reply.data().get("sessionId").asText())
                .get("messageIdExt").asText().equals("ig_out_" + uid));
        PROVIDERS.verify(postRequestedFor(urlEqualTo("/ig/v21.0/me/messages"))
                .withHeader("Authorization", equalTo("Bearer ig-token"))
                .withRequestBody(equalToJson("{\"recipient\":{\"id\":\"" + igsid + "\"},\"messaging_type\":\"RESPONSE\","
                        + "\"message\":{\"text\":\"Yes, in stock\"}}")));
    }

    @Test
    void aCaptionFollowsItsAttachmentAsATextAndAFilenameIsRefused() {
        String psid = "26" + (System.nanoTime() % 100000000000L);
        PROVIDERS.stubFor(post(urlEqualTo("/fb/v21.0/me/messages")).withRequestBody(
                containing(psid)).willReturn(aResponse().withStatus(200)
                .withBody("{\"recipient_id\":\"" + psid + "\",\"message_id\":\"m_cap_" + psid + "\"}")));

        var sent = api.post("/api/v1/message/send", "wa-key", "{\"channelId\":\"fb-page\",\"to\":{\"phone\":\""
                + psid + "\"},\"type\":\"image\",\"image\":{\"link\":\"https://cdn.example.com/c.png\","
                + "\"caption\":\"Your new sofa\"}}");
        var named = api.post("/api/v1/message/send", "wa-key", "{\"channelId\":\"fb-page\",\"to\":{\"phone\":\""
                + psid + "\"},\"type\":\"document\",\"document\":{\"link\":\"https://cdn.example.com/c.pdf\","
                + "\"filename\":\"quote.pdf\"}}");

        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(named.status()).isEqualTo(400);
        assertThat(named.errorCode()).isEqualTo("UNSUPPORTED_FIELD");
        assertThat(named.errorFields()).containsExactly("document.filename");
        await().atMost(PATIENCE).untilAsserted(() -> PROVIDERS.verify(postRequestedFor(urlEqualTo(
                "/fb/v21.0/me/messages")).withRequestBody(equalToJson("{\"recipient\":{\"id\":\"" + psid + "\"},"
                        + "\"messaging_type\":\"RESPONSE\",\"message\":{\"text\":\"Your new sofa\"}}"))));
        PROVIDERS.verify(postRequestedFor(urlEqualTo("/fb/v21.0/me/messages")).withRequestBody(equalToJson(
                "{\"recipient\":{\"id\":\"" + psid + "\"},\"messaging_type\":\"RESPONSE\",\"message\":{\"attachment\":"
                        + "{\"type\":\"image\",\"payload\":{\"url\":\"https://cdn.example.com/c.png\","
                        + "\"is_reusable\":true}}}}")));
        assertThat(latest(sent.data().get("sessionId").asText()).get("status").asText()).isEqualTo("sent");
    }

    private Api.Reply notify(String path, String payload, String signature) {
        HttpRequest.Builder request = api.request("/webhooks/" + path, null).header("Content-Type", "application/json");
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return api.send(request.POST(HttpRequest.BodyPublishers.ofString(payload)));
    }

}
