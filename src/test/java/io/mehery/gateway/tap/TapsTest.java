package io.mehery.gateway.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.channel.Providers;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.live.ConfigurationDocuments;
import io.mehery.gateway.store.ConfigVersionStore;

/**
 * Taps added on the running gateway: a file tap gets the tenant's inbound and outbound messages and their status
 * changes; a tap whose endpoint is down neither slows nor fails the main flow, and its copies end in its own
 * dead-letter queue; a tap naming an unknown event or component is refused.
 */
class TapsTest extends GatewayTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    LiveConfiguration live;

    @Autowired
    ConfigVersionStore versions;

    @Autowired
    JmsTemplate jms;

    @AfterEach
    void backToTheFiles() {
        assertThat(api.send(api.request("/api/v1/admin/config/apply", ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(200);
    }

    @Test
    void aFileTapGetsTheTenantsEventsAndAFailingTapHurtsNothing() throws IOException {
        Path lake = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "lake");
        ObjectNode document = running();
        ObjectNode taps = (ObjectNode) document.get("mehery").get("taps");
        ObjectNode file = taps.putObject("lake").put("uri", "file:" + lake + "?fileName=$simple{exchangeId}.json");
        file.putArray("events").add("inbound-message").add("outbound-message").add("status-change");
        file.putArray("tenants").add("wa");
        taps.putObject("broken").put("uri", "http://127.0.0.1:9/never").putArray("events").add("inbound-message");
        Api.Reply applied = admin(document.toString());
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(applied.data().get("changes").toString()).contains("+ tap lake", "+ tap broken");

        String text = "tapped " + System.nanoTime();
        String user = uniquePhone();
        assertThat(api.post("/webhooks/dummy/wa-sandbox", "wa-key", "{\"from\":\"" + user + "\",\"type\":\"text\","
                + "\"text\":{\"body\":\"" + text + "\"}}").status()).isEqualTo(200);
        Api.Reply sent = api.post("/api/v1/message/send", "wa-key", "{\"channelId\":\"wa-sandbox\",\"to\":{\"phone\":\""
                + user + "\"},\"type\":\"text\",\"text\":{\"body\":\"reply to " + text + "\"}}");
        String sentId = sent.data().get("id").asText();
        // a message edited on Telegram is copied again, the same message, as an edit
        long chat = 710000000L + System.nanoTime() % 1000000;
        String telegramFrom = "\"from\":{\"id\":" + chat + ",\"is_bot\":false,\"first_name\":\"Tap\"},\"chat\":{\"id\":"
                + chat + ",\"type\":\"private\"},\"date\":1732441500";
        long update = System.currentTimeMillis();
        assertThat(Providers.telegram(api, "/webhooks/telegram/tg-telegram", "tg-secret-token", "{\"update_id\":"
                + update + ",\"message\":{\"message_id\":21," + telegramFrom + ",\"text\":\"first " + text
                + "\"}}").status()).isEqualTo(200);
        assertThat(Providers.telegram(api, "/webhooks/telegram/tg-telegram", "tg-secret-token", "{\"update_id\":"
                + (update + 1) + ",\"edited_message\":{\"message_id\":21," + telegramFrom
                + ",\"edit_date\":1732441600,\"text\":\"edited " + text + "\"}}").status()).isEqualTo(200);
        // another tenant's events are not this tap's
        api.post("/webhooks/dummy/acme-sandbox", "acme-key", "{\"from\":\"" + user + "\",\"type\":\"text\","
                + "\"text\":{\"body\":\"not for the lake " + text + "\"}}");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<JsonNode> events = read(lake);
            assertThat(events).anySatisfy(e -> {
                assertThat(e.get("event").asText()).isEqualTo("inbound-message");
                assertThat(e.at("/data/text").asText()).isEqualTo(text);
                assertThat(e.get("tenantId").asText()).isEqualTo("wa");
            });
            assertThat(events).anySatisfy(e -> assertThat(e.at("/data/messageId").asText() + e.get("event").asText())
                    .isEqualTo(sentId + "outbound-message"));
            assertThat(events).anySatisfy(e -> assertThat(e.at("/data/messageId").asText() + e.at("/data/status")
                    .asText()).isEqualTo(sentId + "delivered"));
            assertThat(events).noneSatisfy(e -> assertThat(e.toString()).contains("not for the lake"));
            List<JsonNode> first = events.stream().filter(e -> e.at("/data/text").asText().equals("first " + text))
                    .toList();
            assertThat(first).hasSize(1);
            assertThat(events).anySatisfy(e -> {
                assertThat(e.at("/data/text").asText()).isEqualTo("edited " + text);
                assertThat(e.at("/data/edited").asBoolean()).isTrue();
                assertThat(e.at("/data/messageId").asText()).isEqualTo(first.get(0).at("/data/messageId").asText());
            });
        });

        // the broken tap's copy of the inbound message ends in the taps' dead letters, known as the broken tap's
        await().atMost(Duration.ofSeconds(30)).until(() -> jms.browseSelected("mehery.taps.dead",
                "_AMQ_ORIG_ADDRESS = 'mehery.taps.broken'",
                (session, browser) -> Collections.list(browser.getEnumeration()).stream()
                        .anyMatch(m -> body((Message) m).contains(text))));
    }

    @Test
    void aTapOfAnUnknownEventOrComponentIsRefused() {
        ObjectNode document = running();
        ObjectNode taps = (ObjectNode) document.get("mehery").get("taps");
        taps.putObject("odd").put("uri", "nosuchcomponent:x").putArray("events").add("everything");
        Api.Reply refused = admin(document.toString());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("mehery.taps.odd.events", "mehery.taps.odd.uri");
        assertThat(live.current().taps()).doesNotContainKey("odd");
    }

    @Test
    void aTapThatWouldRunCodeStopRoutesOrReachTheGatewaysOwnPartsIsRefusedAlsoByARollback() {
        Map<String, String> refused = Map.of(
                "simple", "language:simple?script=${bean:runtime}",
                "beans", "bean:taps?method=wanted",
                "control", "controlbus:route?routeId=taps-fan-out&action=stop",
                "xslt", "xslt:file:/etc/passwd",
                "own-queue", "jms:queue:mehery.outbound",
                "anywhere", "file:/tmp?fileName=x.json",
                "up-and-out", "file:" + Path.of("target").toAbsolutePath() + "/../../elsewhere",
                "class-ref", "log:taps?marker=#class:java.lang.Runtime",
                "expression", "file:" + Path.of("target").toAbsolutePath() + "?fileName=${exchangeId}.json",
                "file-name-ognl", "file:" + Path.of("target").toAbsolutePath()
                        + "?fileName=$simple{body.getClass().forName('java.lang.Runtime')}");
        for (Map.Entry<String, String> tap : refused.entrySet()) {
            ObjectNode document = running();
            ((ObjectNode) document.get("mehery").get("taps")).putObject(tap.getKey()).put("uri", tap.getValue());
            Api.Reply reply = admin(document.toString());
            assertThat(reply.status()).as(tap.getValue()).isEqualTo(400);
            assertThat(reply.body()).as(tap.getValue()).contains("mehery.taps." + tap.getKey() + ".uri");
        }
        assertThat(live.current().taps()).doesNotContainKeys(refused.keySet().toArray(String[]::new));

        // a version kept from before the allow-list: its rollback is checked again and refused
        ObjectNode old = running();
        ((ObjectNode) old.get("mehery").get("taps")).putObject("old").put("uri", "language:simple?script=x");
        long version = versions.add(System.currentTimeMillis(), "api", "applied", List.of("+ tap old"), List.of(),
                null, old.toString(), null);
        Api.Reply rollback = api.post("/api/v1/admin/config/rollback/" + version, ADMIN_KEY, "");
        assertThat(rollback.status()).as(rollback.body()).isEqualTo(400);
        assertThat(rollback.body()).contains("mehery.taps.old.uri");
        assertThat(live.current().taps()).doesNotContainKey("old");
    }

    @Test
    void tapEndpointsOutsideTheAllowListOrAtPrivateAddressesAreNamedWithoutTheirUri() {
        Path folder = Path.of("/srv/taps");
        assertThat(TapEndpoints.problemOf("http://169.254.169.254/latest/meta-data", folder, false)).isPresent();
        assertThat(TapEndpoints.problemOf("https://[::1]:8443/x", folder, false)).isPresent();
        assertThat(TapEndpoints.problemOf("http://localhost:8080/actuator", folder, false)).isPresent();
        assertThat(TapEndpoints.problemOf("https://lake.example.com/in?httpMethod=PUT", folder, false)).isEmpty();
        assertThat(TapEndpoints.problemOf("https://lake.example.com/in?proxyHost=10.0.0.1", folder, false)).isPresent();
        assertThat(TapEndpoints.problemOf("file:/srv/taps/lake?fileName=$simple{date:now:yyyyMMdd}/"
                + "$simple{exchangeId}.json", folder, false)).isEmpty();
        assertThat(TapEndpoints.problemOf("jms:queue:crm.events", folder, false)).isEmpty();
        assertThat(TapEndpoints.problemOf("jms:queue:ActiveMQ.management", folder, false)).isPresent();
        assertThat(TapEndpoints.problemOf("log:taps?level=INFO", folder, false)).isEmpty();
        assertThat(TapEndpoints.problemOf("https://user:s3cret@lake.example.com/in?x=1", folder, false).orElseThrow())
                .doesNotContain("s3cret");
        assertThat(TapEndpoints.endpointOf("https://lake.example.com/in")).isEqualTo("webhook:https://lake.example.com/in");
    }

    private static String body(Message message) {
        try {
            return message instanceof TextMessage textMessage ? textMessage.getText() : "";
        } catch (JMSException e) {
            return "";
        }
    }

    private static List<JsonNode> read(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).map(f -> {
                try {
                    return JSON.readTree(Files.readString(f));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    private ObjectNode running() {
        return JSON.valueToTree(Map.copyOf(ConfigurationDocuments.documentOf(live.current())));
    }

    private Api.Reply admin(String json) {
        return api.post("/api/v1/admin/config/apply", ADMIN_KEY, json);
    }
}
