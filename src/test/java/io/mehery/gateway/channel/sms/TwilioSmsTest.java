package io.mehery.gateway.channel.sms;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static io.mehery.gateway.channel.Providers.twilioSignature;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.BasicCredentials;

import io.mehery.gateway.Api;
import io.mehery.gateway.channel.ChannelTestSupport;

/** Twilio SMS/MMS: signed form posts in, status callbacks as receipts, Messages.json out. */
class TwilioSmsTest extends ChannelTestSupport {

    static final String PUBLIC_URL = "https://gateway.example.com/webhooks/sms/tw-sms";
    static final String MESSAGES = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";

    @Test
    void signedSmsAndMmsBecomeCallbacksOnceAndForgeriesAreRefused() {
        String sms = "SM" + UUID.randomUUID().toString().replace("-", "");
        String mms = "MM" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> text = form("MessageSid", sms, "From", "+15557654321", "To", "+15550003333",
                "Body", "Reschedule to Friday & 5pm?", "NumMedia", "0", "SmsStatus", "received");
        Map<String, String> picture = form("MessageSid", mms, "From", "+15557654321", "To", "+15550003333",
                "Body", "", "NumMedia", "1", "MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC/Media/ME1",
                "MediaContentType0", "image/jpeg");

        Api.Reply first = twilio(text, twilioSignature("tw-auth-token", PUBLIC_URL, text));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("<Response>");
        assertThat(twilio(text, twilioSignature("tw-auth-token", PUBLIC_URL, text)).status()).as("Twilio's retry")
                .isEqualTo(200);
        assertThat(twilio(picture, twilioSignature("tw-auth-token", PUBLIC_URL, picture)).status()).isEqualTo(200);
        Map<String, String> altered = new LinkedHashMap<>(text);
        altered.put("Body", "Cancel everything");
        assertThat(twilio(altered, twilioSignature("tw-auth-token", PUBLIC_URL, text)).status()).isEqualTo(401);
        assertThat(twilio(text, null).status()).isEqualTo(401);

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, sms).size() == 1 && callbacksMentioning(MESSAGE_RECEIVE, mms).size() == 1);
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, sms).get(0).at("/messages/0/text/body").asText()).isEqualTo("Reschedule to Friday & 5pm?");
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, sms).get(0).at("/messages/0/from").asText()).isEqualTo("+15557654321");
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, mms).get(0).at("/messages/0/type").asText()).isEqualTo("image");
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, mms).get(0).at("/messages/0/image/mime_type").asText()).isEqualTo("image/jpeg");
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, sms).stream().filter(c -> c.toString().contains("Cancel"))).isEmpty();
    }

    @Test
    void anMmsFileIsFetchedWithTheAccountsCredentialsThroughTwiliosRedirect() {
        String mms = "MM" + UUID.randomUUID().toString().replace("-", "");
        String media = "/2010-04-01/Accounts/AC/Messages/" + mms + "/Media/ME1";
        PROVIDERS.stubFor(get(urlEqualTo(media)).willReturn(
                aResponse().withStatus(307).withHeader("Location", "/storage/" + mms + ".jpg")));
        PROVIDERS.stubFor(get(urlEqualTo("/storage/" + mms + ".jpg"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "image/jpeg").withBody("JPEG")));
        Map<String, String> picture = form("MessageSid", mms, "From", "+15557654322", "To", "+15550003333",
                "Body", "the receipt", "NumMedia", "1", "MediaUrl0", "http://127.0.0.1:" + PROVIDERS.port() + media,
                "MediaContentType0", "image/jpeg");

        assertThat(twilio(picture, twilioSignature("tw-auth-token", PUBLIC_URL, picture)).status()).isEqualTo(200);

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, mms).size() == 1);
        String link = callbacksMentioning(MESSAGE_RECEIVE, mms).get(0).at("/messages/0/image/link").asText();
        var file = api.get(link.substring(link.indexOf("/api/v1/media/")), TENANT_KEY);
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.body()).isEqualTo("JPEG");
        PROVIDERS.verify(getRequestedFor(urlEqualTo(media))
                .withBasicAuth(new BasicCredentials(
                        "AC0123456789abcdef0123456789abcdef", "tw-auth-token")));
    }

    @Test
    void sendsGoToMessagesJsonAndStatusCallbacksMoveTheirStatus() {
        String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"sid\":\"" + sid + "\",\"status\":\"queued\"}")));

        var sent = api.post("/api/v1/message/send", "wa-key", """
                {"channelId":"tw-sms","to":{"phone":"+15557650000"},"type":"text","text":{"body":"See you Friday"}}""");
        var refused = api.post("/api/v1/message/send", "wa-key", """
                {"channelId":"tw-sms","to":{"phone":"+15557650000"},"type":"location",
                 "location":{"latitude":"1","longitude":"2"}}""");

        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(refused.errorCode()).isEqualTo("UNSUPPORTED_TYPE");
        String sessionId = sent.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("messageIdExt").asText().equals(sid));
        PROVIDERS.verify(postRequestedFor(urlEqualTo(MESSAGES))
                .withHeader("Authorization", equalTo("Basic " + Base64.getEncoder().encodeToString(
                        "AC0123456789abcdef0123456789abcdef:tw-auth-token".getBytes(StandardCharsets.UTF_8))))
                .withRequestBody(containing("To=%2B15557650000"))
                .withRequestBody(containing("From=%2B15550003333"))
                .withRequestBody(containing("Body=See+you+Friday"))
                .withRequestBody(containing("StatusCallback=" + URLEncoder.encode(PUBLIC_URL, StandardCharsets.UTF_8))));

        Map<String, String> delivered = form("MessageSid", sid, "MessageStatus", "delivered", "To", "+15557650000");
        assertThat(twilio(delivered, twilioSignature("tw-auth-token", PUBLIC_URL, delivered)).status()).isEqualTo(200);
        assertThat(latest(sessionId).get("status").asText()).isEqualTo("delivered");

        Map<String, String> undelivered = form("MessageSid", sid, "MessageStatus", "undelivered", "ErrorCode", "30003");
        assertThat(twilio(undelivered, twilioSignature("tw-auth-token", PUBLIC_URL, undelivered)).status()).isEqualTo(200);
        assertThat(latest(sessionId).get("status").asText()).isEqualTo("failed");
        assertThat(latest(sessionId).get("logs").get(0).asText()).contains("30003");
    }

    private Api.Reply twilio(Map<String, String> form, String signature) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        var request = api.request("/webhooks/sms/tw-sms", null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("X-Twilio-Signature", signature);
        }
        return api.send(request);
    }

    private static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

}
