package io.mehery.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.RawHttp;

/**
 * What an unauthenticated stranger can do to the HTTP edge: slow or stalled bodies, bodies to paths that go
 * nowhere, guessing keys. The limits are the test profile's (GatewayTestSupport): 2 s for a body, 2 s of silence,
 * 8 unauthenticated bodies at once, 100 failed authentications per source and minute.
 */
@ExtendWith(OutputCaptureExtension.class)
class EdgeHardeningTest extends GatewayTestSupport {

    private static final String WHATSAPP_WEBHOOK = "/webhooks/whatsapp/demo-whatsapp";

    @Test
    void aBodyForAPathThatGoesNowhereOrWithoutAKeyIsRefusedFromItsHeadersAndItsConnectionClosed() {
        for (String path : List.of("/anything", "/api/v1/message/send", "/api/v1/message/send/extra")) {
            try (RawHttp client = RawHttp.connect(port())) {
                long started = System.nanoTime();
                var answer = client.write(RawHttp.postHead(path, 1000, "X-Echo: reflected-header-value") + "{").read();

                assertThat(answer).as(path).isNotNull();
                assertThat(answer.status()).as(path).isEqualTo(path.equals("/anything") ? 404 : 401);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as(path).isLessThan(Duration.ofSeconds(2));
                assertThat(answer.headers()).as(path).doesNotContainKey("x-echo");
                assertThat(answer.headers().toString() + answer.body()).doesNotContain("reflected-header-value");
                assertThat(answer.body()).contains("\"errors\"");
                assertThat(client.closedByServer()).as(path).isTrue();
            }
        }
    }

    @Test
    void anUnknownApiPathWithAValidKeyIsA404ThatReflectsNothing() {
        var reply = api.send(api.request("/api/v1/message/send/extra", Api.DEMO_KEY)
                .header("X-Echo", "reflected-header-value").header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"echo\":\"reflected-body-value\"}")));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.response().headers().map().toString() + reply.body())
                .doesNotContain("reflected-header-value").doesNotContain("reflected-body-value");
    }

    @Test
    void aTrickledBodyIsCutOffAtTheBodyTimeout() {
        try (RawHttp client = RawHttp.connect(port())) {
            client.write(RawHttp.postHead(WHATSAPP_WEBHOOK, 1000, "X-Hub-Signature-256: sha256=00"));
            // one byte every 200 ms, well inside the 2 s of allowed silence, until the server cuts it off
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 30; i++) {
                        client.write(" ");
                        Thread.sleep(200);
                    }
                } catch (RuntimeException | InterruptedException cutOff) {
                    // the server answered and closed: the trickle is over
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            long started = System.nanoTime();
            var answer = client.read();
            trickle.interrupt();

            assertThat(answer).isNotNull();
            assertThat(answer.status()).isEqualTo(408);
            assertThat(answer.body()).contains("REQUEST_TIMEOUT");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void stalledBodiesBeyondTheCapAreRefusedAtOnceWhileKeyedRequestsAndHealthAreServed() {
        List<RawHttp> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                stalled.add(RawHttp.connect(port())
                        .write(RawHttp.postHead(WHATSAPP_WEBHOOK, 1000, "X-Hub-Signature-256: sha256=00") + "{"));
            }
            long started = System.nanoTime();
            var health = api.get("/actuator/health", null);
            var accepted = api.post("/webhooks/dummy/sandbox", Api.DEMO_KEY,
                    "{\"from\":\"" + uniquePhone() + "\",\"type\":\"text\",\"text\":{\"body\":\"still served\"}}");
            Duration served = Duration.ofNanos(System.nanoTime() - started);

            assertThat(health.status()).isEqualTo(200);
            assertThat(accepted.status()).isEqualTo(200);
            assertThat(served).isLessThan(Duration.ofSeconds(2));
            List<Integer> statuses = new ArrayList<>();
            for (RawHttp client : stalled) {
                RawHttp.Response answer = client.read();
                statuses.add(answer == null ? -1 : answer.status());
                if (answer != null && answer.status() == 503) {
                    assertThat(answer.headers()).containsKey("retry-after");
                }
            }
            // 8 are read until the server gives up on them (closed, or 408); the rest are refused at once
            assertThat(statuses).filteredOn(s -> s == 503).hasSizeGreaterThanOrEqualTo(12);
            assertThat(statuses).allMatch(s -> s == 503 || s == 408 || s == -1);
        } finally {
            stalled.forEach(RawHttp::close);
        }
    }

    @Test
    void wrongVisitorTokensCountLikeWrongKeysAndHoldTheSourceEverywhere() {
        RawHttp.Response last = null;
        // a refusal counts once its answer is complete, which the client may see a moment before: a few more tries
        for (int i = 0; i <= 110 && (last == null || last.status() != 429); i++) {
            try (RawHttp client = RawHttp.connect(port(), "127.0.0.5")) {
                last = client.write(RawHttp.get("/webhooks/website/wa-web", "Origin: https://shop.example",
                        "Authorization: Bearer guessed-token-" + i)).read();
            }
        }
        assertThat(last.status()).isEqualTo(429);
        try (RawHttp client = RawHttp.connect(port(), "127.0.0.5")) {
            assertThat(client.write(RawHttp.get("/api/v1/session/messages?sessionId=x", "x-api-key: " + Api.DEMO_KEY))
                    .read().status()).as("a right key from the held source").isEqualTo(429);
        }
    }

    @Test
    void aSourceThatKeepsGuessingKeysIsHeldWith429AndLoggedWithoutItsKeys(CapturedOutput output) {
        String guessed = "guessed-key-";
        RawHttp.Response last = null;
        for (int i = 0; i <= 100; i++) {
            try (RawHttp client = RawHttp.connect(port(), "127.0.0.2")) {
                last = client.write(RawHttp.get("/api/v1/session/messages?sessionId=x", "x-api-key: " + guessed + i))
                        .read();
            }
        }
        RawHttp.Response rightKey;
        try (RawHttp client = RawHttp.connect(port(), "127.0.0.2")) {
            rightKey = client.write(RawHttp.get("/api/v1/admin/dead-letters", "x-api-key: " + Api.DEMO_KEY)).read();
        }
        var otherSource = api.get("/api/v1/admin/dead-letters", Api.DEMO_KEY);

        assertThat(last.status()).isEqualTo(429);
        assertThat(Long.parseLong(last.headers().get("retry-after"))).isBetween(1L, 60L);
        assertThat(last.body()).contains("TOO_MANY_FAILED_AUTHENTICATIONS");
        assertThat(rightKey.status()).as("a right key from a held source gets no hint").isEqualTo(429);
        assertThat(otherSource.status()).isEqualTo(200);
        assertThat(output.getOut()).contains("Failed authentication from 127.0.0.2")
                .contains("127.0.0.2 failed authentication 100 times").doesNotContain(guessed);
        assertThat(api.get("/actuator/prometheus", null).body()).contains("mehery_http_auth_failures_total")
                .contains("mehery_http_auth_throttled_total");
    }

    @Test
    void aMalformedQueryStringIsA400Envelope() {
        for (String query : List.of("sessionId=%", "sessionId=%zz", "%=1")) {
            try (RawHttp client = RawHttp.connect(port())) {
                var answer = client.write(RawHttp.get("/api/v1/session/messages?" + query,
                        "x-api-key: " + Api.DEMO_KEY)).read();

                assertThat(answer.status()).as(query).isEqualTo(400);
                assertThat(answer.body()).as(query).contains("INVALID_QUERY");
            }
        }
    }

    @Test
    void errorsAreBoundedWhateverTheBodyHolds() {
        StringBuilder manyKeys = new StringBuilder("{\"eventName\":\"x\",\"id\":\"many-keys\",\"links\":[{");
        for (int i = 0; i < 60_000; i++) {
            manyKeys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        var keys = api.post("/api/v1/event/push", Api.DEMO_KEY, manyKeys.append("}]}").toString());
        var hugeValue = api.post("/api/v1/message/send", Api.DEMO_KEY, "{\"channelId\":\"sandbox\",\"to\":{\"phone\":"
                + "\"+15550101\"},\"type\":\"text\",\"text\":{\"body\":" + "7".repeat(900_000) + "}}");

        for (var reply : List.of(keys, hugeValue)) {
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.body().length()).isLessThan(4_000);
            assertThat(reply.json().get("errors").size()).isBetween(1, 6);
        }
    }

    @Test
    void aValueCannotForgeALogLine(CapturedOutput output) {
        String forged = "cart.add\n2026-01-01T00:00:00.000Z  INFO [traceid=forged] 1 --- [main] admin : granted"
                + "\r\u001b[31mred\u2028";
        LoggerFactory.getLogger("mehery.analytics").info("event {}", forged);

        assertThat(output.getOut()).contains("cart.add\\n2026-01-01T00:00:00.000Z  INFO [traceid=forged]")
                .contains("\\r\\u001b[31mred\\u2028").doesNotContain("\u001b[31mred");
        assertThat(output.getOut().lines()).noneMatch(line -> line.startsWith("2026-01-01T00:00:00.000Z"));
    }

    @Test
    void valuesAreCheckedAsAUserWouldExpect() {
        String send = "{\"channelId\":\"sandbox\",\"to\":{\"phone\":\"%s\"},\"type\":\"location\","
                + "\"location\":{\"latitude\":%s,\"longitude\":%s}}";
        String phone = uniquePhone();
        List<String> refused = List.of(
                send.formatted(phone, "1e400", "0"),
                send.formatted(phone, "1" + "0".repeat(999), "0"),
                send.formatted(phone, "\"91\"", "0"),
                send.formatted(phone, "-90.5", "0"),
                send.formatted(phone, "0", "\"180.5\""),
                send.formatted(phone, "0", "-181"),
                send.formatted("+1555\\u0000", "0", "0"),
                send.formatted("+1555\\u001b[31m", "0", "0"),
                "{\"channelId\":\"sandbox\",\"to\":{\"phone\":\"" + phone + "\"},\"type\":\"text\","
                        + "\"text\":{\"body\":\"nul \\u0000 inside\"}}",
                "{\"channelId\":\"sandbox\",\"to\":{\"phone\":\"" + phone + "\"},\"type\":\"text\","
                        + "\"text\":{\"body\":\"two\"}} {\"x\":1}");

        for (String body : refused) {
            var reply = api.post("/api/v1/message/send", Api.DEMO_KEY, body);
            assertThat(reply.status()).as(body.length() > 300 ? body.substring(0, 300) : body).isEqualTo(400);
        }
        var sandbox = api.post("/webhooks/dummy/sandbox", Api.DEMO_KEY,
                "{\"from\":\"+1555\\n0101\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}");
        assertThat(sandbox.status()).isEqualTo(400);
        assertThat(api.post("/api/v1/message/send", Api.DEMO_KEY, send.formatted(phone, "\"-90\"", "180.0")).status())
                .isEqualTo(200);
        assertThat(api.post("/api/v1/message/send", Api.DEMO_KEY, "{\"channelId\":\"sandbox\",\"to\":{\"phone\":\""
                + phone + "\"},\"type\":\"text\",\"text\":{\"body\":\"lines\\nand\\ttabs are text\"}}").status())
                .isEqualTo(200);
    }
}
