package io.mehery.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;

/** Every class of caller mistake, on every endpoint: the envelope, the right status, no stack trace. */
class BadInputTest extends GatewayTestSupport {

    static Stream<Arguments> postEndpoints() {
        return Stream.of(Arguments.of("/api/v1/config/webhook"), Arguments.of("/api/v1/event/push"),
                Arguments.of("/api/v1/message/send"), Arguments.of("/webhooks/dummy/sandbox"));
    }

    @ParameterizedTest
    @MethodSource("postEndpoints")
    void malformedJsonIsA400NamingTheBody(String path) {
        var reply = api.post(path, Api.DEMO_KEY, "{\"channelId\": \"sandbox\",\n  \"to\": }");

        assertEnvelopeError(reply, 400);
        assertThat(reply.errorCode()).isEqualTo("INVALID_JSON");
        String description = reply.json().at("/errors/0/description").asText();
        assertThat(description).startsWith("The body is not valid JSON").contains("line 2, column 9")
                .doesNotContain("Source").doesNotContain("REDACTED").doesNotContain("StreamReadFeature");
    }

    @ParameterizedTest
    @MethodSource("postEndpoints")
    void aJsonArrayOrScalarWhereAnObjectBelongsIsA400(String path) {
        assertEnvelopeError(api.post(path, Api.DEMO_KEY, "[1,2]"), 400);
        assertEnvelopeError(api.post(path, Api.DEMO_KEY, "\"text\""), 400);
    }

    @ParameterizedTest
    @MethodSource("postEndpoints")
    void anEmptyBodyIsA400(String path) {
        assertEnvelopeError(api.post(path, Api.DEMO_KEY, ""), 400);
    }

    @ParameterizedTest
    @MethodSource("postEndpoints")
    void aBodyThatIsNotJsonIsA415(String path) {
        var reply = api.send(api.request(path, Api.DEMO_KEY).header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));

        assertEnvelopeError(reply, 415);
    }

    @ParameterizedTest
    @MethodSource("postEndpoints")
    void aWrongOrMissingKeyIsA401ThatNeverEchoesTheKey(String path) {
        var wrong = api.post(path, "forged-key-123", "{}");
        var missing = api.post(path, null, "{}");

        assertEnvelopeError(wrong, 401);
        assertEnvelopeError(missing, 401);
        assertThat(wrong.body()).doesNotContain("forged-key-123");
        assertThat(wrong.response().headers().map().toString()).doesNotContain("forged-key-123");
    }

    @Test
    void aWrongKeyOnTheHistoryIsA401() {
        assertEnvelopeError(api.get("/api/v1/session/messages?sessionId=x", "nope"), 401);
    }

    @Test
    void aWrongTypeIsA400NamingTheField() {
        var reply = api.post("/api/v1/message/send", Api.DEMO_KEY,
                "{\"channelId\":\"sandbox\",\"to\":{\"phone\":\"+15550101\"},\"type\":\"text\",\"text\":{\"body\":42}}");

        assertEnvelopeError(reply, 400);
        assertThat(reply.errorFields()).contains("text.body");
    }

    @Test
    void deeplyNestedJsonIsRefusedCleanly() {
        String nested = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        var reply = api.post("/api/v1/event/push", Api.DEMO_KEY, nested);

        assertThat(reply.status()).isBetween(400, 499);
        assertEnvelope(reply);
    }

    @Test
    void aBodyOverTheLimitIsA413WhetherOrNotItsLengthIsDeclared() {
        String huge = "{\"eventName\":\"x\",\"id\":\"big\",\"links\":[],\"pad\":\"" + "x".repeat(1_100_000) + "\"}";
        var declared = api.post("/api/v1/event/push", Api.DEMO_KEY, huge);
        var chunked = api.send(api.request("/api/v1/event/push", Api.DEMO_KEY)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes()))));

        assertEnvelopeError(declared, 413);
        assertEnvelopeError(chunked, 413);
        assertThat(declared.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void anUnknownPathIsA404AndAWrongMethodA405() {
        assertEnvelopeError(api.get("/api/v1/nothing-here", Api.DEMO_KEY), 404);
        assertEnvelopeError(api.get("/api/v1/message/send", Api.DEMO_KEY), 405);
    }

    @Test
    void aWrongMethodWithoutAKeyIsA401SoNoPathIsRevealed() {
        assertEnvelopeError(api.send(api.request("/api/v1/admin/config/apply", null).DELETE()), 401);
        assertEnvelopeError(api.get("/api/v1/message/send", null), 401);
        assertEnvelopeError(api.send(api.request("/api/v1/admin/config/apply", "demo-admin-key").DELETE()), 405);
    }

    @Test
    void aTextTooLongSaysTheRuleFirstWithoutEchoingTheText() {
        String text = "x".repeat(5000);
        var reply = api.post("/api/v1/message/send", Api.DEMO_KEY, "{\"channelId\":\"sandbox\",\"to\":{\"phone\":"
                + "\"+15550101\"},\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}");
        assertEnvelopeError(reply, 400);
        assertThat(reply.json().at("/errors/0/description").asText())
                .isEqualTo("text.body is longer than 4096 characters (it has 5000)");
        assertThat(reply.body()).doesNotContain("x".repeat(100));
    }

    @Test
    void anUnknownChannelOrSessionIsA404() {
        var channel = api.post("/api/v1/message/send", Api.DEMO_KEY,
                "{\"channelId\":\"nope\",\"to\":{\"phone\":\"+15550101\"},\"type\":\"text\",\"text\":{\"body\":\"x\"}}");
        var session = api.get("/api/v1/session/messages?sessionId=00000000-0000-0000-0000-000000000000",
                Api.DEMO_KEY);

        assertEnvelopeError(channel, 404);
        assertEnvelopeError(session, 404);
    }

    private static void assertEnvelopeError(Api.Reply reply, int status) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertEnvelope(reply);
        assertThat(reply.json().get("errors")).isNotEmpty();
        assertThat(reply.json().get("errors").get(0).get("code").asText()).isNotBlank();
    }

    private static void assertEnvelope(Api.Reply reply) {
        assertThat(reply.response().headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(reply.json().get("status").asText()).isEqualTo("ERROR");
        assertThat(reply.json().get("traceid").asText()).isNotBlank();
        assertThat(reply.body()).doesNotContain("Exception", "\tat ", "at io.mehery", "at org.apache");
    }
}
