package io.mehery.gateway.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.WebhookReceiver;

/**
 * A channel's tests: its channels belong to tenant {@code wa}, whose webhook is a local receiver answering 200,
 * so a test sends or injects through the channel and reads what the client got and what session history shows.
 */
public abstract class ChannelTestSupport extends GatewayTestSupport {

    protected static final String TENANT_KEY = "wa-key";
    protected static final Duration PATIENCE = Duration.ofSeconds(15);
    /** One client webhook for every channel test class of the run; each test finds its own callbacks by content. */
    protected static final WebhookReceiver receiver = startReceiver();

    private static WebhookReceiver startReceiver() {
        WebhookReceiver started = new WebhookReceiver();
        Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        return started;
    }

    @BeforeEach
    void clientWebhook() {
        receiver.answerAll("wa", aResponse().withStatus(200));
        api.post("/api/v1/config/webhook", TENANT_KEY, "{\"url\":\"" + receiver.baseUrl("wa") + "\"}");
    }

    /** The newest message of the session, as session/messages shows it. */
    protected JsonNode latest(String sessionId) {
        return api.get("/api/v1/session/messages?sessionId=" + sessionId, TENANT_KEY).data();
    }

    /** The bodies of the client's callbacks of one kind that contain the text. */
    protected List<JsonNode> callbacksMentioning(String callback, String text) {
        return receiver.received("wa", callback).stream().filter(r -> r.getBodyAsString().contains(text))
                .map(WebhookReceiver::json).toList();
    }
}
