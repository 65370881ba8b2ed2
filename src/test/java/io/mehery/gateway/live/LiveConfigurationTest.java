package io.mehery.gateway.live;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.WebhookReceiver;
import io.mehery.gateway.config.LiveConfiguration;

/**
 * Changing a running gateway through the admin API: a tenant and a channel added and used at once, a bad change
 * refused with every problem while the running configuration keeps serving, a rollback, the versions, the files'
 * diff. Each test ends by applying the files again, so that other tests see the configuration they expect.
 */
class LiveConfigurationTest extends GatewayTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WebhookReceiver RECEIVER = new WebhookReceiver();

    @Autowired
    LiveConfiguration live;

    @AfterEach
    void backToTheFiles() {
        Api.Reply restored = admin("/api/v1/admin/config/apply", null);
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
    }

    @Test
    void onlyTheOperatorsKeyChangesTheConfiguration() {
        String document = running().toString();
        // a tenant's key is a key, of the wrong kind: 403; none at all, 401
        assertThat(api.post("/api/v1/admin/config/validate", "wa-key", document).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/admin/config/validate", null, document).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/admin/config/versions", "demo-key").status()).isEqualTo(403);
        Api.Reply valid = admin("/api/v1/admin/config/validate", document);
        assertThat(valid.status()).as(valid.body()).isEqualTo(200);
        assertThat(valid.data().get("valid").asBoolean()).isTrue();
        assertThat(valid.data().get("changes")).isEmpty();
        // the files read again are what runs: nothing to apply
        JsonNode diff = api.get("/api/v1/admin/config/diff", ADMIN_KEY).data();
        assertThat(diff.get("changes")).isEmpty();
        assertThat(diff.get("problems")).isEmpty();
    }

    @Test
    void aTenantAndChannelAddedOnTheRunningGatewayWorkAtOnce() {
        RECEIVER.answerAll("live", aResponse().withStatus(200));
        ObjectNode document = running();
        ObjectNode mehery = (ObjectNode) document.get("mehery");
        ((ObjectNode) mehery.get("tenants")).putObject("live").put("api-key", "live-key-0123456789")
                .put("verify-token", "live-verify");
        ((ObjectNode) mehery.get("channels")).putObject("live-sandbox").put("tenant", "live").put("type", "DUMMY")
                .put("lane", "live-sandbox");

        Api.Reply dryRun = admin("/api/v1/admin/config/validate", document.toString());
        assertThat(dryRun.data().get("changes").toString()).contains("+ tenant live", "+ channel live-sandbox (DUMMY)");
        assertThat(api.post("/api/v1/config/webhook", "live-key-0123456789", "{}").status()).isEqualTo(401);

        Api.Reply applied = admin("/api/v1/admin/config/apply", document.toString());
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        long version = applied.data().get("version").asLong();

        // the new tenant's key, channel and delivery route work at once
        assertThat(api.post("/api/v1/config/webhook", "live-key-0123456789", "{\"url\":\""
                + RECEIVER.baseUrl("live") + "\"}").status()).isEqualTo(200);
        String text = "live " + System.nanoTime();
        api.sandboxText("live-sandbox", "live-key-0123456789", "+15550009999", text);
        await().atMost(Duration.ofSeconds(15)).until(() -> RECEIVER.received("live", MESSAGE_RECEIVE).stream()
                .anyMatch(r -> r.getBodyAsString().contains(text)));

        JsonNode versions = api.get("/api/v1/admin/config/versions", ADMIN_KEY).json().get("results");
        assertThat(versions.get(0).get("version").asLong()).isEqualTo(version);
        assertThat(versions.get(0).get("source").asText()).isEqualTo("api");
        assertThat(versions.get(0).get("outcome").asText()).isEqualTo("applied");
        assertThat(versions.toString()).doesNotContain("live-key-0123456789", "live-verify");

        // the files do not have it: their diff says what applying them would undo
        assertThat(api.get("/api/v1/admin/config/diff", ADMIN_KEY).data().get("changes").toString())
                .contains("- tenant live", "- channel live-sandbox");
    }

    @Test
    void aBadChangeIsRefusedWithEveryProblemAndTheRunningConfigurationKeepsServing() {
        ObjectNode document = running();
        ObjectNode mehery = (ObjectNode) document.get("mehery");
        ((ObjectNode) mehery.get("channels")).putObject("orphan").put("tenant", "nobody").put("type", "WEBSITE");
        ((ObjectNode) mehery.get("tenants").get("wa")).remove("verify-token");
        mehery.put("data-dir", "/somewhere/else");
        ((ObjectNode) mehery.get("delivery")).put("timeout", "3s");

        Api.Reply dryRun = admin("/api/v1/admin/config/validate", document.toString());
        assertThat(dryRun.data().get("valid").asBoolean()).isFalse();
        assertThat(dryRun.data().get("problems").toString()).contains("mehery.channels.orphan.tenant",
                "mehery.channels.orphan.identity-secret", "mehery.tenants.wa.verify-token", "mehery.data-dir",
                "mehery.delivery.timeout cannot change on a running gateway");

        Api.Reply refused = admin("/api/v1/admin/config/apply", document.toString());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("INVALID_CONFIGURATION");
        assertThat(refused.errorFields()).contains("mehery.channels.orphan.tenant");
        assertThat(live.channels()).doesNotContainKey("orphan");
        assertThat(api.post("/webhooks/dummy/wa-sandbox", "wa-key", "{\"from\":\"+15550101\",\"type\":\"text\","
                + "\"text\":{\"body\":\"still served\"}}").status()).isEqualTo(200);
        JsonNode latest = api.get("/api/v1/admin/config/versions", ADMIN_KEY).json().get("results").get(0);
        assertThat(latest.get("outcome").asText()).isEqualTo("refused");
        assertThat(latest.get("problems")).hasSizeGreaterThanOrEqualTo(4);

        Api.Reply notYaml = api.send(api.request("/api/v1/admin/config/validate", ADMIN_KEY)
                .header("Content-Type", "application/yaml").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "mehery:\n  tenants:\n    wa: [unclosed\n")));
        assertThat(notYaml.data().get("valid").asBoolean()).isFalse();
        assertThat(notYaml.data().get("problems").get(0).asText()).startsWith("body (line");
        assertThat(admin("/api/v1/admin/config/validate", "{\"mehery\": [unclosed").status()).isEqualTo(400);
    }

    @Test
    void aDocumentsPlaceholdersStayTextSoNoSecretComesBackAndAnAliasBombIsRefused() {
        ObjectNode document = running();
        ((ObjectNode) document.get("mehery").get("channels")).putObject("echo").put("tenant",
                "${mehery.tenants.wa.api-key}").put("type", "EMPTY");
        Api.Reply probe = admin("/api/v1/admin/config/validate", document.toString());
        assertThat(probe.data().get("problems").toString()).contains("mehery.channels.echo.tenant names no configured"
                + " tenant").doesNotContain("wa-key");

        ObjectNode literal = running();
        ((ObjectNode) literal.get("mehery").get("tenants").get("wa")).put("verify-token", "${mehery.admin.api-key}");
        Api.Reply applied = admin("/api/v1/admin/config/apply", literal.toString());
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(live.current().tenants().get("wa").verifyToken()).isEqualTo("${mehery.admin.api-key}");
        assertThat(api.get("/api/v1/admin/config/versions", ADMIN_KEY).body()).doesNotContain(ADMIN_KEY);

        StringBuilder bomb = new StringBuilder("mehery:\n  a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int level = 1; level < 9; level++) {
            String previous = "*a" + (level - 1);
            bomb.append("  a").append(level).append(": &a").append(level).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, previous))).append("]\n");
        }
        Api.Reply refused = api.send(api.request("/api/v1/admin/config/validate", ADMIN_KEY)
                .header("Content-Type", "application/yaml").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        bomb.toString())));
        assertThat(refused.status()).isLessThan(500);
        assertThat(refused.body()).contains("aliases");
    }

    @Test
    void aDocumentCannotPointAChannelAtAFileOnTheGatewaysDisk() {
        for (String path : java.util.List.of("/etc/shadow", "/no/such/file")) {
            ObjectNode document = running();
            ((ObjectNode) document.get("mehery").get("channels").get("app-fcm")).put("service-account-file", path);
            Api.Reply probe = admin("/api/v1/admin/config/validate", document.toString());
            assertThat(probe.data().get("problems").toString()).as(path)
                    .contains("mehery.channels.app-fcm.service-account-file names a file on the gateway's disk")
                    .doesNotContain("readable");
            assertThat(probe.data().get("problems")).hasSize(1);
        }
    }

    @Test
    void theRetryScheduleAndBreakerChangeLive() {
        ObjectNode document = running();
        ObjectNode delivery = (ObjectNode) document.get("mehery").get("delivery");
        delivery.putArray("retry-schedule").add("0s").add("1s");
        ((ObjectNode) delivery.get("breaker")).put("open-for", "PT5S");
        Api.Reply applied = admin("/api/v1/admin/config/apply", document.toString());
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(applied.data().get("changes").toString()).contains("~ delivery: retry-schedule", "~ delivery.breaker");
        assertThat(live.current().delivery().retrySchedule()).containsExactly(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(live.current().delivery().breaker().openFor()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aRollbackRunsAnEarlierVersionAgain() {
        ObjectNode document = running();
        long before = admin("/api/v1/admin/config/apply", document.toString()).data().get("version").asLong();
        ((ObjectNode) document.get("mehery").get("templates")).put("live_greeting", "Hello {{1}}");
        long added = admin("/api/v1/admin/config/apply", document.toString()).data().get("version").asLong();
        assertThat(added).isGreaterThan(before);
        assertThat(live.templates()).containsKey("live_greeting");

        Api.Reply rolledBack = api.send(api.request("/api/v1/admin/config/rollback/" + before, ADMIN_KEY)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(rolledBack.status()).as(rolledBack.body()).isEqualTo(200);
        assertThat(rolledBack.data().get("changes").toString()).contains("- template live_greeting");
        assertThat(live.templates()).doesNotContainKey("live_greeting");
        assertThat(api.send(api.request("/api/v1/admin/config/rollback/999999", ADMIN_KEY)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(404);
    }

    private ObjectNode running() {
        Map<String, Object> document = new LinkedHashMap<>(ConfigurationDocuments.documentOf(live.current()));
        return JSON.valueToTree(document);
    }

    private Api.Reply admin(String path, String json) {
        return json == null ? api.send(api.request(path, ADMIN_KEY).POST(java.net.http.HttpRequest.BodyPublishers
                .noBody())) : api.post(path, ADMIN_KEY, json);
    }
}
