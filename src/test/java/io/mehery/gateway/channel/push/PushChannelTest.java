package io.mehery.gateway.channel.push;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mehery.gateway.WebhookReceiver.ACTION_EVENT;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;

import io.mehery.gateway.Api;
import io.mehery.gateway.channel.ChannelTestSupport;
import io.mehery.gateway.channel.Providers;

/**
 * Push channels against stubs of FCM (HTTP v1 and Google's token endpoint) and APNs: devices, notifications with
 * the provider's own authentication checked by its public key, unregistered devices, opens and taps.
 */
class PushChannelTest extends ChannelTestSupport {

    static final String FCM_KEY = "test-app-key-fcm-0123456789";
    static final String APNS_KEY = "test-app-key-apns-0123456789";
    static final String FCM_SECRET = "test-push-identity-secret-fcm";
    static final String APNS_SECRET = "test-push-identity-secret-apns";
    static final String FCM_SEND = "/fcm/v1/projects/acme-shop/messages:send";
    static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void devicesAreRegisteredWithTheAppsKeyOnly() {
        String user = "user-" + IDS.incrementAndGet();
        assertThat(register("app-fcm", "not-the-app-key", "tok-" + user, "android", user).status()).isEqualTo(401);
        assertThat(register("app-fcm", FCM_KEY, "tok-" + user, "fax", user).status()).isEqualTo(400);
        assertThat(register("app-fcm", FCM_KEY, "tok-" + user, "android", user).status()).isEqualTo(200);
        assertThat(register("app-apns", FCM_KEY, "tok-" + user, "ios", user).status()).isEqualTo(401);
    }

    @Test
    void aDeviceOrAnEventCountsOnlyWithTheBusinesssProofOfItsUser() {
        String user = "user-" + IDS.incrementAndGet();
        String attacker = "{\"token\":\"attacker-" + user + "\",\"platform\":\"android\",\"userId\":\"" + user
                + "\"";
        assertThat(toApp("/devices", attacker + "}").status()).isEqualTo(401);
        assertThat(toApp("/devices", attacker + ",\"userHash\":\"" + "0".repeat(64) + "\"}").status()).isEqualTo(401);
        assertThat(toApp("/devices", attacker + ",\"userHash\":\"" + Providers.userHash(FCM_SECRET, "someone-else") + "\"}")
                .body()).contains("IDENTITY_NOT_VERIFIED");
        assertThat(toApp("/devices", attacker + ",\"userHash\":\"" + Providers.userHash(APNS_SECRET, user) + "\"}").status())
                .as("another channel's proof").isEqualTo(401);
        assertThat(toApp("/devices", attacker + ",\"userHash\":\"" + Providers.userHash(FCM_SECRET, user) + "\"}").status())
                .isEqualTo(200);
        assertThat(toApp("/events", "{\"type\":\"opened\",\"messageId\":\"" + UUID.randomUUID() + "\",\"userId\":\""
                + user + "\"}").status()).isEqualTo(401);
    }

    @Test
    void fcmNotifiesEveryDeviceWithTheServiceAccountsTokenAndForgetsAnUnregisteredOne() throws Exception {
        String user = "user-" + IDS.incrementAndGet();
        String phone = "phone-" + user;
        String tablet = "tablet-" + user;
        register("app-fcm", FCM_KEY, phone, "android", user);
        register("app-fcm", FCM_KEY, tablet, "android", user);
        PROVIDERS.stubFor(post(urlEqualTo("/oauth2/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"ya29.test-token\",\"expires_in\":3599,\"token_type\":\"Bearer\"}")));
        PROVIDERS.stubFor(post(urlEqualTo(FCM_SEND)).withRequestBody(matchingJsonPath("$.message.token",
                equalTo(phone))).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"name\":\"projects/acme-shop/messages/" + user + "-{{randomValue type='UUID'}}\"}")
                        .withTransformers("response-template")));
        PROVIDERS.stubFor(post(urlEqualTo(FCM_SEND)).withRequestBody(matchingJsonPath("$.message.token",
                equalTo(tablet))).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\","
                                + "\"status\":\"NOT_FOUND\",\"details\":[{\"@type\":"
                                + "\"type.googleapis.com/google.firebase.fcm.v1.FcmError\",\"errorCode\":"
                                + "\"UNREGISTERED\"}]}}")));

        Api.Reply first = send("app-fcm", user, "\"type\":\"text\",\"text\":{\"body\":\"Your order shipped\"}");
        String id = first.data().get("id").asText();
        String sessionId = first.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("sent"));
        assertThat(latest(sessionId).get("messageIdExt").asText()).startsWith("projects/acme-shop/messages/" + user);

        LoggedRequest notification = PROVIDERS.findAll(postRequestedFor(urlEqualTo(FCM_SEND))
                .withRequestBody(containing(phone))).get(0);
        assertThat(notification.getHeader("Authorization")).isEqualTo("Bearer ya29.test-token");
        JsonNode message = JSON.readTree(notification.getBodyAsString()).get("message");
        assertThat(message.at("/notification/title").asText()).isEqualTo("Acme Shop");
        assertThat(message.at("/notification/body").asText()).isEqualTo("Your order shipped");
        assertThat(message.at("/data/meheryMessageId").asText()).isEqualTo(id);

        // the token exchange: a JWT signed with the service account's key, for FCM's scope
        LoggedRequest exchange = PROVIDERS.findAll(postRequestedFor(urlEqualTo("/oauth2/token"))).get(0);
        String form = URLDecoder.decode(exchange.getBodyAsString(), StandardCharsets.UTF_8);
        assertThat(form).contains("grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer");
        SignedJWT assertion = SignedJWT.parse(form.substring(form.indexOf("assertion=") + 10));
        assertThat(assertion.verify(new RSASSAVerifier((RSAPublicKey) PushKeys.SERVICE_ACCOUNT.getPublic())))
                .isTrue();
        assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo(PushKeys.CLIENT_EMAIL);
        assertThat(assertion.getJWTClaimsSet().getStringClaim("scope"))
                .isEqualTo("https://www.googleapis.com/auth/firebase.messaging");

        // the unregistered tablet is forgotten: the next notification goes to the phone alone, on the same token
        String second = send("app-fcm", user, "\"type\":\"template\",\"template\":{\"id\":\"order_update\","
                + "\"data\":{\"1\":\"Ana\",\"2\":\"today\",\"title\":\"Order news\"}}").data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(second).get("status").asText().equals("sent"));
        assertThat(PROVIDERS.findAll(postRequestedFor(urlEqualTo(FCM_SEND)).withRequestBody(containing(tablet))))
                .hasSize(1);
        JsonNode rendered = JSON.readTree(PROVIDERS.findAll(postRequestedFor(urlEqualTo(FCM_SEND))
                .withRequestBody(containing(phone))).get(1).getBodyAsString()).at("/message/notification");
        assertThat(rendered.get("title").asText()).isEqualTo("Order news");
        assertThat(rendered.get("body").asText()).isEqualTo("Hi Ana, your order ships today. Thanks!");
        assertThat(PROVIDERS.findAll(postRequestedFor(urlEqualTo("/oauth2/token")))).hasSize(1);
    }

    @Test
    void theAppReportsOpensAsReadAndTapsOfOfferedButtonsAsActions() throws Exception {
        String user = "user-" + IDS.incrementAndGet();
        register("app-fcm", FCM_KEY, "only-" + user, "android", user);
        PROVIDERS.stubFor(post(urlEqualTo("/oauth2/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"ya29.test-token\",\"expires_in\":3599}")));
        PROVIDERS.stubFor(post(urlEqualTo(FCM_SEND)).withRequestBody(containing("only-" + user)).willReturn(
                aResponse().withStatus(200).withBody("{\"name\":\"projects/acme-shop/messages/" + user + "\"}")));
        String code = "rate-5-" + user;
        Api.Reply sent = send("app-fcm", user, "\"type\":\"template\",\"template\":{\"id\":\"order_update\","
                + "\"data\":{\"1\":\"Ana\",\"2\":\"today\",\"buttons\":[{\"text\":\"5 stars\",\"actionCode\":\"" + code
                + "\"}]}}");
        String id = sent.data().get("id").asText();
        String sessionId = sent.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("sent"));
        JsonNode data = JSON.readTree(PROVIDERS.findAll(postRequestedFor(urlEqualTo(FCM_SEND))
                .withRequestBody(containing("only-" + user))).get(0).getBodyAsString()).at("/message/data");
        assertThat(JSON.readTree(data.get("meheryActions").asText()).get(0).get("actionCode").asText()).isEqualTo(code);

        assertThat(event(FCM_KEY, "{\"type\":\"opened\",\"messageId\":\"" + id + "\",\"userId\":\"someone-else\","
                + "\"userHash\":\"" + Providers.userHash(FCM_SECRET, "someone-else") + "\"}").status()).isEqualTo(404);
        assertThat(event(FCM_KEY, proven("{\"type\":\"opened\",\"messageId\":\"" + id + "\"", user)).status())
                .isEqualTo(200);
        await().atMost(PATIENCE).until(() -> statusOf(sessionId, id).equals("read"));

        String notOffered = proven("{\"type\":\"action\",\"messageId\":\"" + id + "\",\"actionCode\":\"refund-all\","
                + "\"title\":\"Refund\"", user);
        assertThat(event(FCM_KEY, notOffered).body()).contains("UNKNOWN_ACTION");
        String tap = proven("{\"type\":\"action\",\"messageId\":\"" + id + "\",\"actionCode\":\"" + code
                + "\",\"title\":\"whatever the app says\"", user);
        assertThat(event(FCM_KEY, tap).status()).isEqualTo(200);
        assertThat(event(FCM_KEY, tap).status()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> callbacksMentioning(ACTION_EVENT, code).size() == 1);
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, code).size() == 1);
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, code).get(0).at("/messages/0/text/body").asText())
                .isEqualTo("5 stars");
    }

    @Test
    void apnsGetsAnEs256ProviderTokenTheTopicAndThePushTypeAndA410ForgetsTheDevice() throws Exception {
        String user = "user-" + IDS.incrementAndGet();
        String iphone = "a1b2c3" + user.replaceAll("\\D", "");
        String oldIpad = "d4e5f6" + user.replaceAll("\\D", "");
        register("app-apns", APNS_KEY, iphone, "ios", user);
        register("app-apns", APNS_KEY, oldIpad, "ios", user);
        PROVIDERS.stubFor(post(urlEqualTo("/apns/3/device/" + iphone)).willReturn(aResponse().withStatus(200)
                .withHeader("apns-id", user + "-{{randomValue type='UUID'}}").withTransformers("response-template")));
        PROVIDERS.stubFor(post(urlEqualTo("/apns/3/device/" + oldIpad)).willReturn(aResponse().withStatus(410)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"reason\":\"Unregistered\",\"timestamp\":1732441500000}")));

        Api.Reply sent = send("app-apns", user, "\"type\":\"image\",\"image\":{\"link\":"
                + "\"https://cdn.example.com/parcel.jpg\",\"caption\":\"Delivered to your door\"}");
        String sessionId = sent.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("sent"));
        assertThat(latest(sessionId).get("messageIdExt").asText()).startsWith(user + "-");

        LoggedRequest push = PROVIDERS.findAll(postRequestedFor(urlEqualTo("/apns/3/device/" + iphone))).get(0);
        assertThat(push.getHeader("apns-topic")).isEqualTo("com.acme.shop");
        assertThat(push.getHeader("apns-push-type")).isEqualTo("alert");
        SignedJWT token = SignedJWT.parse(push.getHeader("authorization").substring("bearer ".length()));
        assertThat(token.verify(new ECDSAVerifier((ECPublicKey) PushKeys.APNS.getPublic()))).isTrue();
        assertThat(token.getHeader().getKeyID()).isEqualTo("KEY1234567");
        assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo("TEAM123456");
        JsonNode payload = JSON.readTree(push.getBodyAsString());
        assertThat(payload.at("/aps/alert/body").asText()).isEqualTo("Delivered to your door");
        assertThat(payload.get("imageUrl").asText()).isEqualTo("https://cdn.example.com/parcel.jpg");
        assertThat(payload.get("meheryMessageId").asText()).isEqualTo(sent.data().get("id").asText());

        // the old iPad is forgotten: a user with no device left cannot be notified
        String again = send("app-apns", user, "\"type\":\"text\",\"text\":{\"body\":\"again\"}").data()
                .get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(again).get("status").asText().equals("sent"));
        assertThat(PROVIDERS.findAll(postRequestedFor(urlEqualTo("/apns/3/device/" + oldIpad)))).hasSize(1);
    }

    @Test
    void aProviderThatIsDownIsTriedAgainAndAUserWithoutDevicesFails() {
        String user = "user-" + IDS.incrementAndGet();
        register("app-apns", APNS_KEY, "ff00" + user.replaceAll("\\D", ""), "ios", user);
        String path = "/apns/3/device/ff00" + user.replaceAll("\\D", "");
        PROVIDERS.stubFor(post(urlEqualTo(path)).inScenario(user).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("{\"reason\":\"ServiceUnavailable\"}"))
                .willSetStateTo("up"));
        PROVIDERS.stubFor(post(urlEqualTo(path)).inScenario(user).whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withHeader("apns-id", "late-" + user)));
        String sessionId = send("app-apns", user, "\"type\":\"text\",\"text\":{\"body\":\"hello\"}").data()
                .get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("sent"));
        assertThat(PROVIDERS.findAll(postRequestedFor(urlEqualTo(path)))).hasSize(2);

        String nobody = send("app-apns", "nobody-" + user, "\"type\":\"text\",\"text\":{\"body\":\"hello\"}").data()
                .get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(nobody).get("status").asText().equals("failed"));
        assertThat(latest(nobody).get("logs").toString()).contains("No device");
    }

    private Api.Reply register(String channel, String appKey, String token, String platform, String user) {
        return api.send(api.request("/webhooks/push/" + channel + "/devices", null).header("x-app-key", appKey)
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"token\":\"" + token + "\",\"platform\":\"" + platform + "\",\"userId\":\"" + user
                                + "\",\"userHash\":\"" + Providers.userHash(channel.equals("app-fcm") ? FCM_SECRET : APNS_SECRET,
                                        user) + "\"}")));
    }

    private Api.Reply toApp(String path, String body) {
        return api.send(api.request("/webhooks/push/app-fcm" + path, null).header("x-app-key", FCM_KEY)
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers
                        .ofString(body)));
    }

    /** The body's fields so far, closed with the user and the proof the business's server would give. */
    private static String proven(String open, String user) {
        return open + ",\"userId\":\"" + user + "\",\"userHash\":\"" + Providers.userHash(FCM_SECRET, user) + "\"}";
    }


    private Api.Reply event(String appKey, String body) {
        return api.send(api.request("/webhooks/push/app-fcm/events", null).header("x-app-key", appKey)
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers
                        .ofString(body)));
    }

    private Api.Reply send(String channel, String user, String typeAndContent) {
        Api.Reply reply = api.post("/api/v1/message/send", TENANT_KEY, "{\"channelId\":\"" + channel
                + "\",\"to\":{\"phone\":\"" + user + "\"}," + typeAndContent + "}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply;
    }

    private String statusOf(String sessionId, String messageId) {
        List<JsonNode> found = new java.util.ArrayList<>();
        api.get("/api/v1/session/messages?sessionId=" + sessionId, TENANT_KEY).json().get("results")
                .forEach(found::add);
        return found.stream().filter(m -> m.get("messageId").asText().equals(messageId)).map(m -> m.get("status")
                .asText()).findFirst().orElse("missing");
    }
}
