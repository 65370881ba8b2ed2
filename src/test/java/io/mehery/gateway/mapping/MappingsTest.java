package io.mehery.gateway.mapping;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.channel.ChannelTestSupport;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.live.ConfigurationDocuments;

/** Mapping hooks: a tenant's callbacks and a channel's provider requests reshaped by JSLT, added live; bad ones refused. */
class MappingsTest extends ChannelTestSupport {

    private static final String ADMIN_KEY = "demo-admin-key";
    private static final String MESSAGES_PATH = "/v21.0/106540352242922/messages";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    LiveConfiguration live;

    @AfterEach
    void backToTheFiles() {
        assertThat(api.send(api.request("/api/v1/admin/config/apply", ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(200);
    }

    @Test
    void aTenantsCallbacksAndAChannelsProviderRequestsAreReshaped() {
        ObjectNode document = running();
        ObjectNode mappings = (ObjectNode) document.get("mehery").get("mappings");
        ObjectNode crm = mappings.putObject("crm").put("applies-to", "callback")
                .put("jslt", "{\"kind\": \"inbound\", \"from\": .messages[0].from, \"said\": .messages[0].text.body}");
        crm.putArray("tenants").add("wa");
        crm.putArray("callbacks").add("message/receive");
        ObjectNode tag = mappings.putObject("tag-requests").put("applies-to", "provider-request")
                .put("jslt", "{\"biz_opaque_callback_data\": \"mapped-by-gateway\", * : .}");
        tag.putArray("channels").add("wa-whatsapp");
        Api.Reply applied = api.post("/api/v1/admin/config/apply", ADMIN_KEY, document.toString());
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(applied.data().get("changes").toString()).contains("+ mapping crm", "+ mapping tag-requests");

        String text = "map me " + System.nanoTime();
        String user = uniquePhone();
        api.sandboxText("wa-sandbox", TENANT_KEY, user, text);
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, text).size() == 1);
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, text).get(0)).isEqualTo(JSON.valueToTree(Map.of(
                "kind", "inbound", "from", user, "said", text)));

        PROVIDERS.stubFor(post(urlEqualTo(MESSAGES_PATH)).withRequestBody(containing("mapped-by-gateway"))
                .atPriority(1).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"messages\":[{\"id\":\"wamid.mapped" + System.nanoTime() + "\"}]}")));
        Api.Reply sent = api.post("/api/v1/message/send", TENANT_KEY, "{\"channelId\":\"wa-whatsapp\",\"to\":{\"phone\":\""
                + user + "\"},\"type\":\"text\",\"text\":{\"body\":\"reshaped " + text + "\"}}");
        String sessionId = sent.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("sent"));
        PROVIDERS.verify(postRequestedFor(urlEqualTo(MESSAGES_PATH)).withRequestBody(equalToJson("{\"messaging_product\":"
                + "\"whatsapp\",\"biz_opaque_callback_data\":\"mapped-by-gateway\",\"text\":{\"body\":\"reshaped " + text
                + "\"}}", true, true)));
    }

    @Test
    void aMappingThatDoesNotCompileOrReshapesMailIsRefused() {
        ObjectNode document = running();
        ObjectNode mappings = (ObjectNode) document.get("mehery").get("mappings");
        mappings.putObject("broken").put("applies-to", "callback").put("jslt", "{\"a\": .b");
        mappings.putObject("mail").put("applies-to", "provider-request").put("jslt", ".").putArray("channels")
                .add("mail-support");
        Api.Reply refused = api.post("/api/v1/admin/config/apply", ADMIN_KEY, document.toString());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("mehery.mappings.broken.jslt does not compile",
                "mehery.mappings.mail.channels");
        assertThat(live.current().mappings()).isEmpty();
    }

    private ObjectNode running() {
        return JSON.valueToTree(Map.copyOf(ConfigurationDocuments.documentOf(live.current())));
    }
}
