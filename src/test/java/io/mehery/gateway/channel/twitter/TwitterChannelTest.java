package io.mehery.gateway.channel.twitter;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.mehery.gateway.Api;
import io.mehery.gateway.channel.ChannelTestSupport;
import io.mehery.gateway.channel.Providers;

/** The X channel: CRC, signed Account Activity events into callbacks, DMs out through the X API v2 with OAuth 1.0a. */
class TwitterChannelTest extends ChannelTestSupport {

    static final String CHANNEL = "x-dm";
    static final String WEBHOOK = "/webhooks/twitter/" + CHANNEL;
    static final String SECRET = "test-consumer-secret";
    static final String ACCOUNT = "2244994945";
    static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() * 1000);
    private static final String OAUTH = "OAuth .*oauth_consumer_key=\"test-consumer-key\".*oauth_signature=\".+\".*"
            + "oauth_token=\"2244994945-test-access-token\".*";

    @Test
    void theCrcIsAnsweredWithTheConsumerSecretsHmac() {
        Api.Reply crc = api.get(WEBHOOK + "?crc_token=challenge-123-abc", null);
        assertThat(crc.status()).as(crc.body()).isEqualTo(200);
        assertThat(crc.json().get("response_token").asText()).isEqualTo(Providers.xSignature(SECRET, "challenge-123-abc"));
    }

    @Test
    void theCrcSignsNoEventBodySoItCannotForgeOne() {
        String user = Long.toString(IDS.incrementAndGet());
        String event = dm(Long.toString(IDS.incrementAndGet()), user, "signed by the oracle " + user);
        Api.Reply oracle = api.get(WEBHOOK + "?crc_token=" + URLEncoder.encode(event, StandardCharsets.UTF_8), null);
        assertThat(oracle.status()).as(oracle.body()).isEqualTo(400);
        assertThat(oracle.body()).doesNotContain("response_token").doesNotContain("sha256=");
        for (String notXs : List.of("short", "a b c d e f g h", "{\"a\":1}", "x".repeat(129))) {
            assertThat(api.get(WEBHOOK + "?crc_token=" + URLEncoder.encode(notXs, StandardCharsets.UTF_8), null)
                    .status()).as(notXs).isEqualTo(400);
        }
        assertThat(api.get(WEBHOOK + "?crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553", null).status()).isEqualTo(200);
    }

    @Test
    void directMessagesBecomeCallbacksOnceAndTheAccountsOwnAndForgedOnesDoNot() {
        String user = Long.toString(IDS.incrementAndGet());
        String text = "Where is my order? " + user;
        String event = dm(Long.toString(IDS.incrementAndGet()), user, text);
        assertThat(Providers.x(api, WEBHOOK, SECRET, event).status()).isEqualTo(200);
        assertThat(Providers.x(api, WEBHOOK, SECRET, event).status()).isEqualTo(200);

        String own = dm(Long.toString(IDS.incrementAndGet()), ACCOUNT, "our reply " + user);
        assertThat(Providers.x(api, WEBHOOK, SECRET, own).status()).isEqualTo(200);
        String forged = dm(Long.toString(IDS.incrementAndGet()), user, "forged " + user);
        assertThat(Providers.x(api, WEBHOOK, "not-the-secret", forged).status()).isEqualTo(401);
        assertThat(api.send(api.request(WEBHOOK, null).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(forged))).status()).isEqualTo(401);

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, text).size() == 1);
        JsonNode callback = callbacksMentioning(MESSAGE_RECEIVE, text).get(0);
        assertThat(callback.at("/messages/0/from").asText()).isEqualTo(user);
        assertThat(callback.at("/contacts/0/contactType").asText()).isEqualTo("TWITTER");
        assertThat(callback.at("/contacts/0/profile/name").asText()).isEqualTo("Jordan Brinks");
        await().during(Duration.ofSeconds(1)).atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE,
                "our reply " + user).isEmpty() && callbacksMentioning(MESSAGE_RECEIVE, "forged " + user).isEmpty());
    }

    @Test
    void aPhotoIsAnImageFetchedWithTheAccountsSignature() throws Exception {
        String user = Long.toString(IDS.incrementAndGet());
        String eventId = Long.toString(IDS.incrementAndGet());
        String mediaPath = "/x/ton/1.1/ton/data/dm/" + eventId + "/954491827553386496/photo.jpg";
        PROVIDERS.stubFor(get(urlEqualTo(mediaPath)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/jpeg").withBody(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3})));
        String event = Providers.fixture("twitter/dm-photo.json").replace("{{eventId}}", eventId)
                .replace("{{senderId}}", user).replace("{{text}}", "the damaged box " + user)
                .replace("{{mediaUrl}}", "http://127.0.0.1:" + PROVIDERS.port() + mediaPath);
        assertThat(Providers.x(api, WEBHOOK, SECRET, event).status()).isEqualTo(200);

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, "the damaged box " + user).size()
                == 1);
        JsonNode image = callbacksMentioning(MESSAGE_RECEIVE, "the damaged box " + user).get(0).at("/messages/0/image");
        assertThat(image.get("caption").asText()).isEqualTo("the damaged box " + user);
        assertThat(image.get("mime_type").asText()).isEqualTo("image/jpeg");
        String link = image.get("link").asText();
        HttpResponse<byte[]> file = HttpClient.newHttpClient().send(api.request(link.substring(link.indexOf("/api/")),
                TENANT_KEY).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).containsExactly(0xFF, 0xD8, 1, 2, 3);
        assertThat(file.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(file.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
        PROVIDERS.verify(getRequestedFor(urlEqualTo(mediaPath)).withHeader("Authorization", matching(OAUTH))
                .withoutHeader("breadcrumbId"));
    }

    @Test
    void aMediaLinkToAnyOtherHostIsNeverFetchedNorGivenTheAccountsSignature() throws Exception {
        WireMockServer inside = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        inside.start();
        try {
            inside.stubFor(get(urlMatching(".*")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "image/jpeg").withBody("internal secrets")));
            for (String link : List.of("http://127.0.0.1:" + inside.port() + "/actuator/prometheus",
                    "http://localhost:" + PROVIDERS.port() + "/x/ton/elsewhere.jpg", "file:///etc/passwd")) {
                String user = Long.toString(IDS.incrementAndGet());
                String eventId = Long.toString(IDS.incrementAndGet());
                String event = Providers.fixture("twitter/dm-photo.json").replace("{{eventId}}", eventId)
                        .replace("{{senderId}}", user).replace("{{text}}", "look inside " + user)
                        .replace("{{mediaUrl}}", link);
                assertThat(Providers.x(api, WEBHOOK, SECRET, event).status()).isEqualTo(200);
                await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, "look inside " + user)
                        .size() == 1);
                String own = callbacksMentioning(MESSAGE_RECEIVE, "look inside " + user).get(0)
                        .at("/messages/0/image/link").asText();
                Api.Reply media = api.get(own.substring(own.indexOf("/api/")), TENANT_KEY);
                assertThat(media.status()).as(link).isEqualTo(502);
                assertThat(media.body()).as(link).contains("MEDIA_UNAVAILABLE").doesNotContain("internal secrets");
            }
            assertThat(inside.getAllServeEvents()).isEmpty();
        } finally {
            inside.stop();
        }
    }

    @Test
    void aSendIsADirectMessageSignedForTheAccountAndTheUsersReadReceiptMarksItRead() {
        String user = Long.toString(IDS.incrementAndGet());
        String dmEvent = "dm-" + user;
        PROVIDERS.stubFor(post(urlEqualTo("/x/2/dm_conversations/with/" + user + "/messages")).willReturn(
                aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody(
                        "{\"data\":{\"dm_conversation_id\":\"" + ACCOUNT + "-" + user + "\",\"dm_event_id\":\""
                                + dmEvent + "\"}}")));
        Api.Reply sent = send(user, "\"type\":\"text\",\"text\":{\"body\":\"It ships today\"}");
        String sessionId = sent.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("sent"));
        assertThat(latest(sessionId).get("messageIdExt").asText()).isEqualTo(dmEvent);
        PROVIDERS.verify(postRequestedFor(urlEqualTo("/x/2/dm_conversations/with/" + user + "/messages"))
                .withHeader("Authorization", matching(OAUTH))
                .withRequestBody(equalToJson("{\"text\":\"It ships today\"}")));

        String read = Providers.fixture("twitter/mark-read.json").replace("{{senderId}}", user)
                .replace("{{lastReadEventId}}", dmEvent)
                .replace("{{createdTimestamp}}", Long.toString(System.currentTimeMillis()));
        assertThat(Providers.x(api, WEBHOOK, SECRET, read).status()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("read"));
    }

    @Test
    void anImageIsUploadedThenAttached() {
        String user = Long.toString(IDS.incrementAndGet());
        PROVIDERS.stubFor(get(urlEqualTo("/files/" + user + ".png")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/png").withBody(new byte[] {(byte) 0x89, 'P', 'N', 'G'})));
        PROVIDERS.stubFor(post(urlEqualTo("/x/2/media/upload")).withRequestBody(containing("\"iVBORw==\""))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"data\":{\"id\":\"media-" + user + "\",\"media_key\":\"3_" + user + "\"}}")));
        PROVIDERS.stubFor(post(urlEqualTo("/x/2/dm_conversations/with/" + user + "/messages")).willReturn(
                aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"data\":{\"dm_conversation_id\":\"c\",\"dm_event_id\":\"img-" + user + "\"}}")));

        Api.Reply sent = send(user, "\"type\":\"image\",\"image\":{\"link\":\"http://127.0.0.1:" + PROVIDERS.port()
                + "/files/" + user + ".png\",\"caption\":\"your label\"}");
        String sessionId = sent.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("sent"));
        PROVIDERS.verify(postRequestedFor(urlEqualTo("/x/2/media/upload")).withHeader("Authorization", matching(OAUTH))
                .withRequestBody(equalToJson("{\"media\":\"iVBORw==\",\"media_category\":\"dm_image\","
                        + "\"media_type\":\"image/png\"}")));
        PROVIDERS.verify(postRequestedFor(urlEqualTo("/x/2/dm_conversations/with/" + user + "/messages"))
                .withRequestBody(equalToJson("{\"text\":\"your label\",\"attachments\":[{\"media_id\":\"media-"
                        + user + "\"}]}")));
    }

    @Test
    void aRateLimitedSendIsSentAgainAfterTheReset() {
        String user = Long.toString(IDS.incrementAndGet());
        String path = "/x/2/dm_conversations/with/" + user + "/messages";
        long reset = System.currentTimeMillis() / 1000 + 2;
        PROVIDERS.stubFor(post(urlEqualTo(path)).inScenario(user).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("x-rate-limit-reset", Long.toString(reset))
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"status\":429}"))
                .willSetStateTo("reset"));
        PROVIDERS.stubFor(post(urlEqualTo(path)).inScenario(user).whenScenarioStateIs("reset").willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("{\"data\":{\"dm_conversation_id\":\"c\",\"dm_event_id\":\"late-" + user + "\"}}")));

        String sessionId = send(user, "\"type\":\"text\",\"text\":{\"body\":\"after the reset\"}").data()
                .get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("sent"));
        var calls = PROVIDERS.findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).getLoggedDate().getTime()).isGreaterThanOrEqualTo(reset * 1000);
    }

    @Test
    void whatXCannotCarryIsRefusedAtAccept() {
        Api.Reply byName = send("@furiouscamper", "\"type\":\"text\",\"text\":{\"body\":\"hi\"}");
        assertThat(byName.status()).isEqualTo(400);
        assertThat(byName.errorFields()).contains("to.phone");
        Api.Reply video = send("12345", "\"type\":\"video\",\"video\":{\"link\":\"https://cdn.example.com/v.mp4\"}");
        assertThat(video.status()).isEqualTo(400);
    }

    private Api.Reply send(String user, String typeAndContent) {
        return api.post("/api/v1/message/send", TENANT_KEY, "{\"channelId\":\"" + CHANNEL + "\",\"to\":{\"phone\":\""
                + user + "\"}," + typeAndContent + "}");
    }

    private static String dm(String eventId, String sender, String text) {
        return Providers.fixture("twitter/dm-text.json").replace("{{eventId}}", eventId)
                .replace("{{senderId}}", sender).replace("{{text}}", text);
    }
}
