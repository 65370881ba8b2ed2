package io.mehery.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;

class EventPushApiTest extends GatewayTestSupport {

    @Test
    void storesTheEventAndForwardsItToTheSink() {
        String id = "ev-" + UUID.randomUUID();
        var reply = api.post("/api/v1/event/push", Api.DEMO_KEY, """
                {"eventName":"cart.add","id":"%s","links":[{"linkName":"sku","linkType":"product","linkValue":"A1"}]}
                """.formatted(id));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.data().get("id").asText()).isEqualTo(id);
        assertThat(reply.data().get("eventName").asText()).isEqualTo("cart.add");
        assertThat(reply.data().get("links").get(0).get("linkValue").asText()).isEqualTo("A1");
        assertThat(reply.json().get("results")).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> sinkFilesMentioning(id).size() == 1);
        assertThat(sinkFilesMentioning(id).get(0)).contains("\"tenantId\":\"demo\"", "\"eventName\":\"cart.add\"");
    }

    @Test
    void anEventPushedTwiceIsRecordedAndForwardedOnce() {
        String id = "ev-" + UUID.randomUUID();
        String body = "{\"eventName\":\"page.view\",\"id\":\"" + id + "\",\"links\":[]}";

        var first = api.post("/api/v1/event/push", Api.DEMO_KEY, body);
        var second = api.post("/api/v1/event/push", Api.DEMO_KEY, body);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("warnings").get(0).get("code").asText()).isEqualTo("DUPLICATE_EVENT");
        await().atMost(Duration.ofSeconds(10)).until(() -> sinkFilesMentioning(id).size() == 1);
        // a different tenant may use the same event id
        assertThat(api.post("/api/v1/event/push", Api.ACME_KEY, body).json().get("warnings")).isEmpty();
    }

    @Test
    void namesEveryMissingOrMistypedField() {
        var reply = api.post("/api/v1/event/push", Api.DEMO_KEY,
                "{\"id\": 7, \"links\":[{\"linkName\":\"a\",\"linkType\":\"b\"}]}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.errorFields()).contains("eventName", "id", "links.0.linkValue");
    }

    private static List<String> sinkFilesMentioning(String id) {
        Path sink = DATA_DIR.resolve("analytics-sink");
        if (!Files.isDirectory(sink)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(sink)) {
            return files.map(EventPushApiTest::read).filter(content -> content.contains(id)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
