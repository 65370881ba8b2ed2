package io.mehery.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * A client application's webhook, on this host: each tenant has its base URL under its own path, answers as the
 * test tells it, and keeps every callback it got.
 */
public final class WebhookReceiver implements AutoCloseable {

    public static final String MESSAGE_RECEIVE = "/api/v1/message/receive";
    public static final String CONTACT_INFO = "/api/v1/contact/info";
    public static final String ACTION_EVENT = "/api/v1/action/event";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A slow answer waits on a timer, not on one of the server's threads: a client may have many calls under way. */
    private final WireMockServer server = new WireMockServer(options().dynamicPort()
            .asynchronousResponseEnabled(true).asynchronousResponseThreads(4).containerThreads(64));

    public WebhookReceiver() {
        server.start();
    }

    public String baseUrl(String tenant) {
        return "http://127.0.0.1:" + server.port() + "/" + tenant;
    }

    /** Every callback to the tenant gets this answer. */
    public void answerAll(String tenant, ResponseDefinitionBuilder answer) {
        server.stubFor(post(urlPathMatching("/" + tenant + "/api/v1/.*")).willReturn(answer));
    }

    public void answer(String tenant, String callback, ResponseDefinitionBuilder answer) {
        server.stubFor(post(urlPathEqualTo("/" + tenant + callback)).willReturn(answer));
    }

    /** The tenant's {@code callback} fails {@code failures} times with {@code failure}, then succeeds. */
    public void failThenSucceed(String tenant, String callback, int failures, ResponseDefinitionBuilder failure) {
        String scenario = "flaky-" + tenant + callback;
        for (int i = 0; i < failures; i++) {
            server.stubFor(post(urlPathEqualTo("/" + tenant + callback)).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failed-" + i)
                    .willSetStateTo("failed-" + (i + 1)).willReturn(failure));
        }
        server.stubFor(post(urlPathEqualTo("/" + tenant + callback)).inScenario(scenario)
                .whenScenarioStateIs("failed-" + failures).willReturn(aResponse().withStatus(200)));
    }

    public List<LoggedRequest> received(String tenant, String callback) {
        return server.findAll(postRequestedFor(urlPathEqualTo("/" + tenant + callback)));
    }

    public static JsonNode json(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new AssertionError("callback body is not JSON: " + request.getBodyAsString(), e);
        }
    }

    /** The Standard Webhooks check a client would run, written here independently of the gateway's signer. */
    public static boolean signedBy(String secret, LoggedRequest request) throws Exception {
        return signatureMatches(secret, request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
                request.getHeader("webhook-signature"), request.getBodyAsString());
    }

    public static boolean signatureMatches(String secret, String id, String timestamp, String signatures,
            String body) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(hmac.doFinal(
                (id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        for (String signature : signatures.split(" ")) {
            String[] versioned = signature.split(",", 2);
            if (versioned[0].equals("v1") && MessageDigest.isEqual(versioned[1].getBytes(StandardCharsets.UTF_8),
                    expected.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    public void reset() {
        server.resetAll();
    }

    @Override
    public void close() {
        server.stop();
    }
}
