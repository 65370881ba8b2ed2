package io.mehery.gateway.channel.website;

import static io.mehery.gateway.WebhookReceiver.ACTION_EVENT;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.RawHttp;
import io.mehery.gateway.channel.ChannelTestSupport;
import io.mehery.gateway.channel.Providers;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.live.ConfigurationDocuments;

/**
 * The website channel through the API its widget calls (the browser test drives the widget itself): visitor
 * tokens, origins, messages both ways, live pushes over the WebSocket, receipts, buttons and files.
 */
class WebsiteChannelTest extends ChannelTestSupport {

    static final String CHANNEL = "wa-web";
    static final String SITE = "https://shop.example";
    static final String IDENTITY_SECRET = "test-identity-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/webhooks/website/" + CHANNEL;

    @Autowired
    LiveConfiguration live;

    @Test
    void aVisitorsMessageReachesTheClientAsMessageReceive() {
        Visit visit = visit("{}");
        String text = "Do you ship to Lisbon? " + System.nanoTime();
        Api.Reply reply = postAs(visit, "", "{\"clientId\":\"c1\",\"text\":\"" + text + "\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.response().headers().firstValue("Access-Control-Allow-Origin")).contains(SITE);

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, text).size() == 1);
        JsonNode callback = callbacksMentioning(MESSAGE_RECEIVE, text).get(0);
        assertThat(callback.at("/contacts/0/contactType").asText()).isEqualTo("WEBSITE");
        assertThat(callback.at("/messages/0/from").asText()).isEqualTo(visit.visitorId());

        // the widget sends again after a lost answer: stored once
        Api.Reply again = postAs(visit, "", "{\"clientId\":\"c1\",\"text\":\"" + text + "\"}");
        assertThat(again.data().get("id").asText()).isEqualTo(reply.data().get("id").asText());
        JsonNode conversation = getAs(visit, "").data().get("messages");
        assertThat(conversation).hasSize(1);
        assertThat(conversation.get(0).get("text").asText()).isEqualTo(text);
        assertThat(conversation.get(0).get("from").asText()).isEqualTo("visitor");
        assertThat(conversation.get(0).get("clientId").asText()).isEqualTo("c1");
    }

    @Test
    void requestsWithoutAValidTokenOrFromAnotherSiteAreRefusedAndNothingIsStored() {
        Visit visit = visit("{}");
        String text = "forged " + System.nanoTime();
        String message = "{\"clientId\":\"f1\",\"text\":\"" + text + "\"}";

        assertThat(send(API, SITE, null, message).status()).isEqualTo(401);
        String token = visit.token();
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        assertThat(send(API, SITE, tampered, message).status()).isEqualTo(401);
        Api.Reply otherSite = send(API, "https://evil.example", token, message);
        assertThat(otherSite.status()).isEqualTo(403);
        assertThat(otherSite.errorCode()).isEqualTo("ORIGIN_NOT_ALLOWED");
        Api.Reply preflight = api.send(api.request(API, null).header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.status()).isEqualTo(403);
        assertThat(visit("{\"userId\":\"u-1\",\"userHash\":\"" + "0".repeat(64) + "\"}", 401)).isNull();

        assertThat(getAs(visit, "").data().get("messages")).isEmpty();
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, text)).isEmpty();
    }

    @Test
    void theSitesBrowserIsAllowedByItsPreflight() {
        Api.Reply preflight = api.send(api.request(API, null).header("Origin", SITE)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.status()).isEqualTo(204);
        var headers = preflight.response().headers();
        assertThat(headers.firstValue("Access-Control-Allow-Origin")).contains(SITE);
        assertThat(headers.firstValue("Access-Control-Allow-Headers").orElse("")).containsIgnoringCase("authorization");
    }

    @Test
    void anIdentifiedVisitorIsTheSitesUserAndKeepsItsConversationOnAnotherDevice() {
        String userId = "customer-" + System.nanoTime();
        Visit laptop = visit("{\"userId\":\"" + userId + "\",\"userHash\":\"" + hash(userId) + "\",\"name\":\"Ana\"}");
        assertThat(laptop.visitorId()).isEqualTo(userId);
        assertThat(postAs(laptop, "", "{\"clientId\":\"i1\",\"text\":\"from my laptop\"}").status()).isEqualTo(200);

        Visit phone = visit("{\"userId\":\"" + userId + "\",\"userHash\":\"" + hash(userId) + "\"}");
        assertThat(getAs(phone, "").data().get("messages")).extracting(m -> m.get("text").asText())
                .containsExactly("from my laptop");
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, userId).stream()
                .anyMatch(c -> c.at("/contacts/0/profile/name").asText().equals("Ana")));

        // an anonymous visitor holding no token of that user sees nothing of it
        assertThat(getAs(visit("{}"), "").data().get("messages")).isEmpty();
    }

    @Test
    void aReplyIsPushedToTheOpenWidgetAndItsReceiptsMoveItsStatus() throws Exception {
        Visit visit = visit("{}");
        WidgetFrames frames = new WidgetFrames();
        WebSocket socket = connect(SITE, frames);
        socket.sendText("{\"type\":\"hello\",\"token\":\"" + visit.token() + "\"}", true);
        await().atMost(PATIENCE).until(() -> frames.ofType("ready").size() == 1);

        String text = "Yes, we ship to Lisbon " + System.nanoTime();
        String id = clientSends(visit, "{\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}");
        await().atMost(PATIENCE).until(() -> frames.ofType("message").stream()
                .anyMatch(f -> f.at("/message/id").asText().equals(id)));
        JsonNode pushed = frames.ofType("message").stream().filter(f -> f.at("/message/id").asText().equals(id))
                .findFirst().orElseThrow().get("message");
        assertThat(pushed.get("from").asText()).isEqualTo("business");
        assertThat(pushed.get("text").asText()).isEqualTo(text);

        socket.sendText("{\"type\":\"receipt\",\"status\":\"read\",\"ids\":[\"" + id + "\"]}", true);
        await().atMost(PATIENCE).until(() -> statusOf(visit, id).equals("read"));

        // the visitor writes over the socket: answered accepted, and the client gets it
        String question = "And to Porto? " + System.nanoTime();
        socket.sendText("{\"type\":\"message\",\"clientId\":\"ws1\",\"text\":\"" + question + "\"}", true);
        await().atMost(PATIENCE).until(() -> frames.ofType("accepted").stream()
                .anyMatch(f -> f.get("clientId").asText().equals("ws1")));
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, question).size() == 1);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void aReplyToAVisitorWhoIsAwayIsKeptForTheNextVisit() {
        Visit visit = visit("{}");
        String id = clientSends(visit, "{\"type\":\"text\",\"text\":{\"body\":\"We are open until 6pm\"}}");
        await().atMost(PATIENCE).until(() -> statusOf(visit, id).equals("sent"));

        Visit nextVisit = visit("{\"token\":\"" + visit.token() + "\"}");
        assertThat(nextVisit.visitorId()).isEqualTo(visit.visitorId());
        JsonNode shown = getAs(nextVisit, "").data().get("messages");
        assertThat(shown).extracting(m -> m.get("text").asText()).containsExactly("We are open until 6pm");
        long seq = shown.get(0).get("seq").asLong();
        assertThat(getAs(nextVisit, "?after=" + seq).data().get("messages")).isEmpty();

        Api.Reply delivered = postAs(nextVisit, "/receipts", "{\"status\":\"delivered\",\"ids\":[\"" + id + "\"]}");
        assertThat(delivered.data().get("applied").asInt()).isEqualTo(1);
        assertThat(statusOf(visit, id)).isEqualTo("delivered");
    }

    @Test
    void aTapOnAButtonArrivesAsAnActionAndOnlyTheButtonsSentCount() {
        Visit visit = visit("{}");
        String id = clientSends(visit, "{\"type\":\"template\",\"template\":{\"id\":\"order_update\",\"data\":{"
                + "\"1\":\"Ana\",\"2\":\"today\",\"buttons\":[{\"text\":\"Track it\",\"actionCode\":\"track-"
                + visit.visitorId() + "\"},{\"text\":\"Cancel\",\"actionCode\":\"cancel\"}]}}}");
        await().atMost(PATIENCE).until(() -> statusOf(visit, id).equals("sent"));
        JsonNode shown = getAs(visit, "").data().get("messages").get(0);
        assertThat(shown.get("text").asText()).isEqualTo("Hi Ana, your order ships today. Thanks!");
        assertThat(shown.get("buttons")).extracting(b -> b.get("text").asText()).containsExactly("Track it", "Cancel");

        Api.Reply forged = postAs(visit, "", "{\"clientId\":\"t0\",\"action\":{\"messageId\":\"" + id
                + "\",\"actionCode\":\"refund\"}}");
        assertThat(forged.status()).isEqualTo(400);
        assertThat(postAs(visit, "", "{\"clientId\":\"t1\",\"action\":{\"messageId\":\"" + id
                + "\",\"actionCode\":\"track-" + visit.visitorId() + "\"}}").status()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> callbacksMentioning(ACTION_EVENT, "track-" + visit.visitorId())
                .size() == 1);
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, "track-" + visit.visitorId()).get(0)
                .at("/messages/0/text/body").asText()).isEqualTo("Track it");
    }

    @Test
    void aVisitorsFileIsKeptAndServedToTheClientAsMedia() {
        Visit visit = visit("{}");
        byte[] png = HexFormat.of().parseHex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489");
        String caption = "my receipt " + System.nanoTime();
        Api.Reply reply = api.send(api.request(API + "/files?clientId=f1&filename=C%3A%5Creceipt.png&caption="
                + caption.replace(" ", "%20"), null).header("Origin", SITE).header("Authorization", "Bearer "
                + visit.token()).header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, caption).size() == 1);
        JsonNode image = callbacksMentioning(MESSAGE_RECEIVE, caption).get(0).at("/messages/0/image");
        assertThat(image.get("mime_type").asText()).isEqualTo("image/png");
        assertThat(image.get("filename").asText()).isEqualTo("receipt.png");
        String link = image.get("link").asText();
        assertThat(link).endsWith("/api/v1/media/" + reply.data().get("id").asText());
        HttpResponse<byte[]> file = fetchBytes(api.request(link.substring(link.indexOf("/api/")), TENANT_KEY));
        assertThat(file.body()).isEqualTo(png);
        // the visitor reads it back with its token, and nobody else does
        String own = getAs(visit, "").data().get("messages").get(0).at("/file/url").asText();
        assertThat(fetchBytes(api.request(own, null).header("Authorization", "Bearer " + visit.token())).body())
                .isEqualTo(png);
        assertThat(fetchBytes(api.request(own, null).header("Authorization", "Bearer " + visit("{}").token()))
                .statusCode()).isEqualTo(404);

        Api.Reply script = api.send(api.request(API + "/files?clientId=f2", null).header("Authorization", "Bearer "
                + visit.token()).header("Content-Type", "text/html").POST(HttpRequest.BodyPublishers.ofString(
                        "<script>alert(1)</script>")));
        assertThat(script.status()).isEqualTo(415);
        Api.Reply huge = api.send(api.request(API + "/files?clientId=f3", null).header("Authorization", "Bearer "
                + visit.token()).header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(
                        new byte[6 * 1024 * 1024])));
        assertThat(huge.status()).isEqualTo(413);
    }

    @Test
    void aVisitorWhoWritesTooFastIsHeldBack() {
        Visit visit = visit("{}");
        int status = 200;
        for (int i = 0; i < 40 && status == 200; i++) {
            status = postAs(visit, "", "{\"clientId\":\"r" + i + "\",\"text\":\"spam " + i + "\"}").status();
        }
        assertThat(status).isEqualTo(429);
    }

    @Test
    void theSocketChecksTheOriginAndTheToken() throws Exception {
        assertThat(connectFailure("https://evil.example")).isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(403));
        WidgetFrames frames = new WidgetFrames();
        WebSocket socket = connect(SITE, frames);
        socket.sendText("{\"type\":\"hello\",\"token\":\"not-a-token\"}", true);
        await().atMost(PATIENCE).until(() -> frames.closedWith == 4401);
    }

    @Test
    void theWidgetAndItsDemoPageAreServedForWebsiteChannelsOnly() {
        Api.Reply script = api.get("/webchat/" + CHANNEL + "/widget.js", null);
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.response().headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(script.body()).contains("textContent").doesNotContain("innerHTML");
        Api.Reply demo = api.get("/webchat/" + CHANNEL + "/demo", null);
        assertThat(demo.status()).isEqualTo(200);
        assertThat(demo.body()).contains("<script src=\"/webchat/" + CHANNEL + "/widget.js\"");
        assertThat(api.get("/webchat/no-such-channel/demo", null).status()).isEqualTo(404);
        assertThat(api.get("/webchat/wa-sandbox/widget.js", null).status()).isEqualTo(404);
    }

    @Test
    void aTokenSignedWithAnHmacOfTheIdentitySecretIsRefused() {
        // the old token key was the user hash of one fixed user id: a site that lets users pick ids handed it out
        for (String label : List.of("mehery webchat visitor token v1", "mehery webchat visitor token v2")) {
            byte[] payload = String.join("\n", CHANNEL, "anon:forged", Long.toString(System.currentTimeMillis()
                    + 3_600_000), "0", "").getBytes(StandardCharsets.UTF_8);
            byte[] key = HexFormat.of().parseHex(hash(label));
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, payload));
            Api.Reply reply = api.send(api.request(API, null).header("Origin", SITE)
                    .header("Authorization", "Bearer " + token).GET());
            assertThat(reply.status()).as(label).isEqualTo(401);
        }
    }

    @Test
    void newVisitorsAreLimitedPerAddressSoMintingDoesNotBypassTheMessageLimit() {
        int status = 200;
        int minted = 0;
        for (; minted < 100 && status == 200; minted++) {
            try (RawHttp client = RawHttp.connect(port(), "127.0.0.3")) {
                status = client.write(RawHttp.postHead(API + "/visitors", 2, "Origin: " + SITE) + "{}").read()
                        .status();
            }
        }
        assertThat(status).isEqualTo(429);
        assertThat(minted).isEqualTo(61);
        assertThat(visit("{}")).as("another address").isNotNull();
    }

    @Test
    void aSendToAnAnonymousVisitorThisChannelNeverIssuedIsRefused() {
        Api.Reply unknown = api.post("/api/v1/message/send", TENANT_KEY, "{\"channelId\":\"" + CHANNEL
                + "\",\"to\":{\"phone\":\"anon:made-up\"},\"type\":\"text\",\"text\":{\"body\":\"hi\"}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.errorCode()).isEqualTo("UNKNOWN_VISITOR");
        Visit visit = visit("{}");
        String forged = visit.visitorId().substring(0, visit.visitorId().lastIndexOf('.')) + ".AAAAAAAAAAAAAAAA";
        assertThat(api.post("/api/v1/message/send", TENANT_KEY, "{\"channelId\":\"" + CHANNEL + "\",\"to\":{"
                + "\"phone\":\"" + forged + "\"},\"type\":\"text\",\"text\":{\"body\":\"hi\"}}").status())
                .isEqualTo(400);
        clientSends(visit, "{\"type\":\"text\",\"text\":{\"body\":\"Hello, issued visitor\"}}");
    }

    @Test
    void anUploadWithoutATokenIsRefusedFromItsHeadersUnread() {
        try (RawHttp client = RawHttp.connect(port())) {
            var answer = client.write(RawHttp.postHead(API + "/files?clientId=u1", 5_000_000, "Origin: " + SITE))
                    .read();
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.body()).contains("INVALID_VISITOR_TOKEN");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void anUploadFloodIsAnsweredFromHeadersAndSlotsWhileOrdinaryRequestsAreServed() throws Exception {
        byte[] large = new byte[5 * 1024 * 1024 - 1];
        large[0] = (byte) 0x89;
        Visit visitor = visit("{}");
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(32)).build();
        List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            HttpRequest.Builder upload = api.request(API + "/files?clientId=flood" + i, null)
                    .header("Content-Type", "image/png").header("Origin", SITE);
            if (i % 2 == 0) {
                upload.header("Authorization", "Bearer " + visitor.token());
            }
            uploads.add(client.sendAsync(upload.POST(HttpRequest.BodyPublishers.ofByteArray(large)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Api.Reply ordinary = api.post("/webhooks/dummy/wa-sandbox", "wa-key", "{\"from\":\"+15550177\",\"type\":"
                + "\"text\",\"text\":{\"body\":\"meanwhile\"}}");
        assertThat(ordinary.status()).isEqualTo(200);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < uploads.size(); i++) {
            HttpResponse<String> answer;
            try {
                answer = uploads.get(i).get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException closedUnread) {
                // refused from its headers (no token, or no upload slot free): the connection was closed while the
                // client still sent its body
                statuses.add(0);
                continue;
            }
            statuses.add(answer.statusCode());
            assertThat(answer.body()).as("never the request echoed").doesNotContain("clientId=flood");
            if (i % 2 == 1) {
                assertThat(answer.statusCode()).as("no token").isEqualTo(401);
            } else {
                assertThat(answer.statusCode()).as("with a token").isIn(200, 429, 503);
            }
        }
        assertThat(statuses).as("no server error").allMatch(status -> status < 500 || status == 503);
        assertThat(statuses).as("a visitor's upload got through").contains(200);
    }

    @Test
    void anOpenSocketIsClosedWhenItsChannelsIdentitySecretChanges() throws Exception {
        Visit visit = visit("{}");
        WidgetFrames frames = new WidgetFrames();
        WebSocket socket = connect(SITE, frames);
        socket.sendText("{\"type\":\"hello\",\"token\":\"" + visit.token() + "\"}", true);
        await().atMost(PATIENCE).until(() -> !frames.ofType("ready").isEmpty());
        ObjectNode document = JSON.valueToTree(Map.copyOf(ConfigurationDocuments.documentOf(live.current())));
        ((ObjectNode) document.get("mehery").get("channels").get(CHANNEL)).put("identity-secret",
                "a-new-identity-secret-0123456789");
        try {
            assertThat(api.post("/api/v1/admin/config/apply", "demo-admin-key", document.toString()).status())
                    .isEqualTo(200);
            await().atMost(PATIENCE).until(() -> frames.closedWith == 4401);
            assertThat(send(API, SITE, visit.token(), "{\"clientId\":\"s1\",\"text\":\"still me?\"}").status())
                    .isEqualTo(401);
        } finally {
            assertThat(api.send(api.request("/api/v1/admin/config/apply", "demo-admin-key")
                    .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(200);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- a visitor, the client, and the widget's socket, as test helpers ----

    record Visit(String visitorId, String token) {
    }

    private Visit visit(String body) {
        return visit(body, 200);
    }

    private Visit visit(String body, int expectedStatus) {
        Api.Reply reply = send(API + "/visitors", SITE, null, body);
        assertThat(reply.status()).as(reply.body()).isEqualTo(expectedStatus);
        return reply.status() != 200 ? null
                : new Visit(reply.data().get("visitorId").asText(), reply.data().get("token").asText());
    }

    private Api.Reply postAs(Visit visit, String path, String json) {
        return send(API + path, SITE, visit.token(), json);
    }

    private Api.Reply getAs(Visit visit, String pathAndQuery) {
        Api.Reply reply = api.send(api.request(API + pathAndQuery, null).header("Origin", SITE)
                .header("Authorization", "Bearer " + visit.token()).GET());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply;
    }

    private Api.Reply send(String path, String origin, String token, String json) {
        HttpRequest.Builder request = api.request(path, null).header("Content-Type", "application/json")
                .header("Origin", origin);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return api.send(request.POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** message/send from the client to the visitor; the message's id. */
    private String clientSends(Visit visit, String typeAndContent) {
        Api.Reply reply = api.post("/api/v1/message/send", TENANT_KEY, "{\"channelId\":\"" + CHANNEL
                + "\",\"to\":{\"phone\":\"" + visit.visitorId() + "\"}," + typeAndContent.substring(1));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.data().get("id").asText();
    }

    private String statusOf(Visit visit, String messageId) {
        for (JsonNode message : getAs(visit, "").data().get("messages")) {
            if (message.get("id").asText().equals(messageId)) {
                return message.get("status").asText();
            }
        }
        return "missing";
    }

    private static HttpResponse<byte[]> fetchBytes(HttpRequest.Builder request) {
        try {
            return HttpClient.newHttpClient().send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String hash(String userId) {
        return Providers.userHash(IDENTITY_SECRET, userId);
    }

    private WebSocket connect(String origin, WidgetFrames frames) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", origin)
                .buildAsync(URI.create("ws://127.0.0.1:" + port() + API + "/live"), frames).get(10, TimeUnit.SECONDS);
    }

    private Throwable connectFailure(String origin) {
        try {
            connect(origin, new WidgetFrames());
            return null;
        } catch (Exception failed) {
            Throwable cause = failed;
            while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause;
        }
    }
}
