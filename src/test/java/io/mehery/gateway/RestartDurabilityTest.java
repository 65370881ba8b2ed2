package io.mehery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jms.core.JmsTemplate;

/** Stopping the gateway and starting it again on the same data dir keeps everything it had accepted. */
class RestartDurabilityTest {

    @TempDir
    Path dataDir;

    @Test
    void sessionsContactsConsentAndQueuedEventsSurviveARestart() {
        String user = "+15557770001";
        String sessionId;
        String inboundId;
        try (var gateway = start()) {
            Api api = new Api(port(gateway));
            var received = api.sandboxText("sandbox", Api.DEMO_KEY, user, "before restart");
            sessionId = received.get("sessionId").asText();
            inboundId = received.get("id").asText();
            assertThat(api.post("/api/v1/message/send", Api.DEMO_KEY, send(user, "optout")).status()).isEqualTo(200);
        }

        try (var gateway = start()) {
            Api api = new Api(port(gateway));

            var history = api.get("/api/v1/session/messages?sessionId=" + sessionId, Api.DEMO_KEY);
            assertThat(history.status()).isEqualTo(200);
            assertThat(history.json().get("results")).extracting(m -> m.get("messageId").asText())
                    .contains(inboundId);
            assertThat(history.json().get("results").get(0).get("contact").get("name").asText()).isEqualTo("Ann");

            var refused = api.post("/api/v1/message/send", Api.DEMO_KEY,
                    "{\"channelId\":\"sandbox\",\"to\":{\"phone\":\"" + user + "\"},\"type\":\"text\","
                            + "\"text\":{\"body\":\"still opted out?\"}}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.errorCode()).isEqualTo("CONTACT_OPTED_OUT");

            assertThat(queuedInboundEvents(gateway)).anySatisfy(event -> assertThat(event).contains(inboundId));
            assertThat(api.sandboxText("sandbox", Api.DEMO_KEY, user, "after restart").get("sessionId").asText())
                    .isEqualTo(sessionId);
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MeheryGatewayApplication.class)
                .profiles("test")
                .run("--server.port=0", "--mehery.data-dir=" + dataDir, "--spring.jmx.enabled=false");
    }

    private static int port(ConfigurableApplicationContext gateway) {
        return Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
    }

    private static String send(String user, String type) {
        return "{\"channelId\":\"sandbox\",\"to\":{\"phone\":\"" + user + "\"},\"type\":\"" + type + "\"}";
    }

    private static List<String> queuedInboundEvents(ConfigurableApplicationContext gateway) {
        JmsTemplate jms = gateway.getBean(JmsTemplate.class);
        String queue = gateway.getEnvironment().getProperty("mehery.queues.inbound");
        return jms.browse(queue, (session, browser) -> {
            List<String> bodies = new ArrayList<>();
            var messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                bodies.add(((jakarta.jms.TextMessage) messages.nextElement()).getText());
            }
            return bodies;
        });
    }
}
