package io.mehery.gateway.channel.empty;

import static io.mehery.gateway.WebhookReceiver.CONTACT_INFO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.channel.ChannelTestSupport;

/** A channel without transport (type EMPTY): every send is kept as a note, status recorded, and nothing leaves. */
class EmptyChannelTest extends ChannelTestSupport {

    @Test
    void sendsAreRecordedAndNothingLeavesTheGateway() {
        String note = "note-" + System.nanoTime();
        String to = "\"channelId\":\"wa-notes\",\"to\":{\"phone\":\"" + note + "\"}";
        List<String> sends = List.of(
                "{" + to + ",\"type\":\"text\",\"text\":{\"body\":\"Called back, wants a quote\"}}",
                "{" + to + ",\"type\":\"template\",\"template\":{\"id\":\"no_such_template\"}}",
                "{" + to + ",\"type\":\"image\",\"image\":{\"link\":\"https://cdn.example.com/q.png\"}}");
        String sessionId = null;
        for (String send : sends) {
            var reply = api.post("/api/v1/message/send", TENANT_KEY, send);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            sessionId = reply.data().get("sessionId").asText();
        }

        // the client learns the contact as for any channel; the notes stay notes
        await().atMost(PATIENCE).until(() -> callbacksMentioning(CONTACT_INFO, note).size() == 1);
        String session = sessionId;
        await().during(Duration.ofSeconds(2)).atMost(PATIENCE).untilAsserted(() -> {
            JsonNode history = api.get("/api/v1/session/messages?sessionId=" + session, TENANT_KEY).json()
                    .get("results");
            assertThat(history).hasSize(3).allSatisfy(m -> {
                assertThat(m.get("status").asText()).isEqualTo("recorded");
                assertThat(m.at("/stamps/sent").isMissingNode()).isTrue();
                assertThat(m.at("/contact/channelType").asText()).isEqualTo("EMPTY");
            });
        });
        assertThat(callbacksMentioning(CONTACT_INFO, note).get(0).get("contactType").asText()).isEqualTo("EMPTY");
    }
}
