package io.mehery.gateway.console;

import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.mehery.gateway.Api;
import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.WebhookReceiver;

/**
 * The console's sessions and the API it reads, over real HTTP: what the cookie is and opens, the CSRF token a change
 * needs, what a tenant's session may not see, and the figures of the overview and the tenants page.
 */
class ConsoleApiTest extends GatewayTestSupport {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final WebhookReceiver RECEIVER = new WebhookReceiver();

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void aSignInSetsAnHttpOnlyStrictCookieThatOpensTheAdminApiAndChangesNeedTheCsrfToken() {
        Api.Reply wrong = signIn("not-a-key");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.response().headers().firstValue("Set-Cookie")).isEmpty();

        Api.Reply signedIn = signIn(ADMIN_KEY);
        assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
        String setCookie = signedIn.response().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("mehery_console=").contains("HttpOnly", "SameSite=Strict", "Path=/")
                .doesNotContain(ADMIN_KEY).doesNotContain("Secure"); // plain HTTP here; over HTTPS it is Secure
        assertThat(signedIn.body()).doesNotContain(ADMIN_KEY);
        assertThat(signedIn.data().get("role").asText()).isEqualTo("operator");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = signedIn.data().get("csrfToken").asText();

        assertThat(withCookie("/api/v1/admin/config/versions", cookie).status()).isEqualTo(200);
        assertThat(withCookie("/console/session", cookie).data().get("csrfToken").asText()).isEqualTo(csrf);
        // a change without the page's token is refused: another site cannot make the browser send it
        Api.Reply noToken = api.send(withCookieRequest("/api/v1/admin/webhook/resume?tenant=portal", cookie)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(noToken.errorCode()).isEqualTo("CSRF_TOKEN_MISSING");
        // with it, the change is made (portal has no webhook: 404, past the edge)
        Api.Reply withToken = api.send(withCookieRequest("/api/v1/admin/webhook/resume?tenant=portal", cookie)
                .header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(withToken.status()).as(withToken.body()).isEqualTo(404);
        // the cookie opens the console's API only, and a forged one nothing
        assertThat(withCookie("/api/v1/message/send", cookie).status()).isEqualTo(401);
        assertThat(withCookie("/api/v1/admin/config/versions", cookie.substring(0, cookie.length() - 2) + "xx")
                .status()).isEqualTo(401);

        Api.Reply signedOut = api.send(withCookieRequest("/console/session", cookie).header("X-CSRF-Token", csrf)
                .DELETE());
        assertThat(signedOut.status()).isEqualTo(200);
        assertThat(signedOut.response().headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    }

    @Test
    void aTenantsSessionSeesItsOwnAndIsRefusedTheOperatorsPagesWith403() {
        Api.Reply signedIn = signIn("portal-key");
        assertThat(signedIn.data().get("role").asText()).isEqualTo("tenant");
        assertThat(signedIn.data().get("tenant").asText()).isEqualTo("portal");
        String cookie = cookieOf(signedIn);

        for (String operatorsOnly : List.of("/api/v1/admin/config/versions", "/api/v1/admin/overview",
                "/api/v1/admin/routes", "/api/v1/admin/config/versions/1/diff")) {
            Api.Reply refused = withCookie(operatorsOnly, cookie);
            assertThat(refused.status()).as(operatorsOnly).isEqualTo(403);
            assertThat(api.get(operatorsOnly, "portal-key").status()).as(operatorsOnly).isEqualTo(403);
        }
        assertThat(withCookie("/api/v1/admin/deliveries?tenant=console", cookie).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/admin/deliveries?tenant=console", "portal-key").status()).isEqualTo(403);

        JsonNode tenants = withCookie("/api/v1/admin/tenants", cookie).json().get("results");
        assertThat(tenants).hasSize(1);
        assertThat(tenants.get(0).get("id").asText()).isEqualTo("portal");
        assertThat(tenants.get(0).get("state").asText()).isEqualTo("none");
    }

    @Test
    void theOverviewCountsAcceptsAndCallbacksAndTheTenantsPageShowsTheWebhooksState() {
        RECEIVER.answerAll("figures", WireMock.aResponse().withStatus(200).withBody("{}"));
        setWebhook();
        String from = uniquePhone();
        int before = RECEIVER.received("figures", MESSAGE_RECEIVE).size();
        for (int i = 0; i < 5; i++) {
            api.sandboxText("figures-sandbox", "figures-key", from, "hello " + i);
        }
        await().atMost(PATIENCE).until(() -> RECEIVER.received("figures", MESSAGE_RECEIVE).size() >= before + 5);

        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode together = api.get("/api/v1/admin/overview", ADMIN_KEY).data().get("together");
            assertThat(sum(together.get("acceptsPerSecond"))).isPositive();
            assertThat(sum(together.get("callbacksPerSecond"))).isPositive();
            assertThat(together.get("lagP99Millis").toString()).matches(".*\\d.*");
        });
        JsonNode overview = api.get("/api/v1/admin/overview", ADMIN_KEY).data();
        assertThat(overview.get("instances")).isNotEmpty();
        assertThat(overview.get("instances").get(0).get("version").asLong()).isPositive();

        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode figures = tenant(api.get("/api/v1/admin/tenants", ADMIN_KEY).json().get("results"), "figures");
            assertThat(figures.get("state").asText()).isEqualTo("active");
            assertThat(figures.get("callbacksPerMinute").asDouble()).isPositive();
            assertThat(figures.get("webhook").asText()).isEqualTo(RECEIVER.baseUrl("figures"));
        });
    }

    @Test
    void theOperatorReadsAConversationAndReplaysADeadLetterOfANamedTenant() {
        RECEIVER.answerAll("figures", WireMock.aResponse().withStatus(200).withBody("{}"));
        RECEIVER.answer("figures", MESSAGE_RECEIVE, WireMock.aResponse().withStatus(500));
        setWebhook();
        String text = "a dead letter " + System.nanoTime();
        JsonNode accepted = api.sandboxText("figures-sandbox", "figures-key", uniquePhone(), text);
        String session = accepted.get("sessionId").asText();

        JsonNode messages = api.get("/api/v1/session/messages?sessionId=" + session + "&tenant=figures", ADMIN_KEY)
                .json().get("results");
        assertThat(messages.get(0).get("text").asText()).isEqualTo(text);
        assertThat(api.get("/api/v1/session/messages?sessionId=" + session, ADMIN_KEY).errorCode())
                .isEqualTo("TENANT_REQUIRED");

        String messageId = accepted.get("id").asText();
        await().atMost(PATIENCE).until(() -> api.get("/api/v1/admin/deliveries?status=DEAD&messageId=" + messageId,
                "figures-key").json().get("results").size() == 1);
        String webhookId = api.get("/api/v1/admin/deliveries?status=DEAD&messageId=" + messageId, "figures-key")
                .json().get("results").get(0).get("webhookId").asText();
        RECEIVER.answer("figures", MESSAGE_RECEIVE, WireMock.aResponse().withStatus(200).withBody("{}"));
        assertThat(api.post("/api/v1/admin/dead-letters/" + webhookId + "/replay?tenant=figures", ADMIN_KEY, "")
                .status()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> api.get("/api/v1/admin/deliveries/" + webhookId + "?tenant=figures",
                ADMIN_KEY).data().get("status").asText().equals("DELIVERED"));
    }

    @Test
    void aValidatedDocumentNamesTheLineOfEachProblemAndAVersionIsComparedWithTheRunningOne() {
        String document = """
                tenants:
                  acme:
                    api-key: acme-key
                  broken:
                    api-key: broken-key
                """;
        JsonNode checked = api.send(api.request("/api/v1/admin/config/validate", ADMIN_KEY)
                .header("content-type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(document)))
                .data();
        assertThat(checked.get("valid").asBoolean()).isFalse();
        JsonNode verifyToken = null;
        for (JsonNode located : checked.get("problemLines")) {
            if (located.get("problem").asText().startsWith("mehery.tenants.broken.verify-token")) {
                verifyToken = located;
            }
        }
        assertThat(verifyToken).as(checked.toString()).isNotNull();
        // the key is missing: its line is the first one the document sets in the tenant's block
        assertThat(verifyToken.get("line").asInt()).isEqualTo(5);

        long running = api.get("/api/v1/admin/config/versions", ADMIN_KEY).json().get("results").get(0)
                .get("version").asLong();
        JsonNode same = api.get("/api/v1/admin/config/versions/" + running + "/diff", ADMIN_KEY).data();
        assertThat(same.get("version").asLong()).isEqualTo(running);
        assertThat(api.get("/api/v1/admin/config/versions/999999/diff", ADMIN_KEY).status()).isEqualTo(404);
    }

    private void setWebhook() {
        assertThat(api.post("/api/v1/config/webhook", "figures-key", "{\"url\":\"" + RECEIVER.baseUrl("figures")
                + "\"}").status()).isEqualTo(200);
    }

    private Api.Reply signIn(String key) {
        return api.post("/console/session", null, "{\"key\":\"" + key + "\"}");
    }

    private static String cookieOf(Api.Reply signedIn) {
        String setCookie = signedIn.response().headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private Api.Reply withCookie(String path, String cookie) {
        return api.send(withCookieRequest(path, cookie).GET());
    }

    private HttpRequest.Builder withCookieRequest(String path, String cookie) {
        return api.request(path, null).header("Cookie", cookie);
    }

    private static double sum(JsonNode series) {
        double total = 0;
        for (JsonNode value : series) {
            total += value.asDouble();
        }
        return total;
    }

    private static JsonNode tenant(JsonNode tenants, String id) {
        for (JsonNode tenant : tenants) {
            if (tenant.get("id").asText().equals(id)) {
                return tenant;
            }
        }
        throw new AssertionError("no tenant " + id + " in " + tenants);
    }
}
