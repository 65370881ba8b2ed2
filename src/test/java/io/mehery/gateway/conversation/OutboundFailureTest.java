package io.mehery.gateway.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;

import java.time.Duration;

import org.apache.camel.Exchange;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.provider.OutboundDispatch;

/**
 * Every accepted message ends sent, delivered, read or failed with its reason: here each channel's outbound bean is
 * broken on purpose (it throws as a mapping bug would), and each message must end failed, not stay accepted.
 */
class OutboundFailureTest extends GatewayTestSupport {

    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final String BROKEN = "broken on purpose";

    @Autowired
    JmsTemplate jms;
    @Autowired
    ObjectMapper json;
    @Autowired
    DataSource dataSource;
    @Value("${mehery.queues.dead-letter}")
    String deadLetterQueue;
    @Value("${mehery.queues.outbound}")
    String outboundQueue;

    @ParameterizedTest
    @CsvSource({"wa-whatsapp, wa-key, phone, +15557770001", "tg-telegram, wa-key, phone, 777000102",
            "fb-page, wa-key, phone, 777000103", "ig-account, wa-key, phone, 777000104",
            "tw-sms, wa-key, phone, +15557770005", "mail-support, wa-key, email, ann.fail@example.com",
            "sandbox, demo-key, phone, +15557770007"})
    void aChannelWhoseRouteBreaksFailsTheMessageWithTheReason(String channelId, String key, String field,
            String address) throws Exception {
        breakEveryOutboundBean();
        var sent = api.post("/api/v1/message/send", key, "{\"channelId\":\"" + channelId + "\",\"to\":{\"" + field
                + "\":\"" + address + "\"},\"type\":\"text\",\"text\":{\"body\":\"will not get there\"}}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        String sessionId = sent.data().get("sessionId").asText();

        await().atMost(PATIENCE).until(() -> status(key, sessionId).equals("failed"));
        assertThat(latest(key, sessionId).get("logs").toString()).contains(BROKEN);
    }

    @Test
    void aTemplateNoChannelCanRenderIsRefusedAtAccept() {
        var sent = api.post("/api/v1/message/send", "wa-key", """
                {"channelId":"tg-telegram","to":{"phone":"777000109"},"type":"template",
                 "template":{"id":"no-such-template","data":{"1":"x"}}}""");

        assertThat(sent.status()).isEqualTo(400);
        assertThat(sent.errorCode()).isEqualTo("UNKNOWN_TEMPLATE");
        assertThat(sent.errorFields()).containsExactly("template.id");
    }

    @Test
    void aDispatchTheBrokerGaveUpOnFailsItsMessage() throws Exception {
        var sent = api.post("/api/v1/message/send", Api.DEMO_KEY, """
                {"channelId":"sandbox","to":{"phone":"+15557770008"},"type":"text","text":{"body":"dead"}}""");
        String sessionId = sent.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> !status(Api.DEMO_KEY, sessionId).equals("accepted"));
        // the same dispatch, as the broker moves it after the last delivery attempt: a message of its own, so its
        // message is made accepted again first
        String messageId = sent.data().get("id").asText();
        var store = new JdbcTemplate(dataSource);
        store.update("UPDATE message SET status = 'ACCEPTED' WHERE id = ?", messageId);
        var dispatch = new OutboundDispatch(messageId, "demo", "sandbox", ChannelType.DUMMY, sessionId, null,
                json.readValue("{\"channelId\":\"sandbox\",\"to\":{\"phone\":\"+15557770008\"},\"type\":\"text\","
                        + "\"text\":{\"body\":\"dead\"}}", MessageSendRequest.class));
        jms.convertAndSend(deadLetterQueue, json.writeValueAsString(dispatch), m -> {
            m.setStringProperty("_AMQ_ORIG_ADDRESS", outboundQueue);
            return m;
        });

        await().atMost(PATIENCE).until(() -> status(Api.DEMO_KEY, sessionId).equals("failed"));
        assertThat(latest(Api.DEMO_KEY, sessionId).get("logs").toString()).contains("gave up after");
    }

    private void breakEveryOutboundBean() throws Exception {
        IllegalStateException broken = new IllegalStateException(BROKEN);
        doThrow(broken).when(whatsAppOutbound).toRequest(any(Exchange.class));
        doThrow(broken).when(telegramOutbound).toRequest(any(Exchange.class));
        doThrow(broken).when(messengerOutbound).toRequest(any(Exchange.class));
        doThrow(broken).when(twilioOutbound).toRequest(any(Exchange.class));
        doThrow(broken).when(emailOutbound).toRequest(any(Exchange.class));
        doThrow(broken).when(sandboxOutbound).send(any(OutboundDispatch.class));
    }

    private String status(String key, String sessionId) {
        return latest(key, sessionId).get("status").asText();
    }

    private JsonNode latest(String key, String sessionId) {
        return api.get("/api/v1/session/messages?sessionId=" + sessionId, key).data();
    }
}
