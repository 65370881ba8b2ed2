package io.mehery.gateway.live;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.mehery.gateway.GatewayTestSupport.ADMIN_KEY;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.Api;
import io.mehery.gateway.StandaloneGateway;
import io.mehery.gateway.WebhookReceiver;

/**
 * The flows in routes/ changed on a running gateway (its own copy of routes/): a changed route takes over while
 * requests keep coming, a new route file starts and a removed one stops, a route that cannot be built or a file
 * that is not YAML is refused while the old routes serve, and a route that fails once running is rolled back by its
 * probation without losing what it failed on.
 */
class LiveRoutesTest {

    private static final String SANDBOX = "/webhooks/dummy/wa-sandbox";
    private static final WebhookReceiver RECEIVER = new WebhookReceiver();
    private static Path original;
    private static Path routes;
    private static Path dataDir;
    private static StandaloneGateway gateway;
    private static Api api;

    @BeforeAll
    static void start() throws IOException {
        original = Path.of("routes").toAbsolutePath();
        routes = Files.createTempDirectory("live-routes");
        dataDir = Files.createTempDirectory("live-routes-data");
        copyOriginals();
        gateway = StandaloneGateway.start(dataDir, "--mehery.routes=file:" + routes + "/*.yaml",
                "--mehery.config.probation=60s", "--mehery.config.probation-minimum-calls=3",
                "--mehery.webhooks.allow-private-targets=true",
                // a callback the broken route left claimed is taken over soon after its rollback
                "--mehery.delivery.timeout=2s", "--mehery.delivery.stall-check-every=1s");
        api = gateway.api();
        RECEIVER.answerAll("wa", aResponse().withStatus(200));
        assertThat(api.post("/api/v1/config/webhook", "wa-key", "{\"url\":\"" + RECEIVER.baseUrl("wa") + "\"}")
                .status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        RECEIVER.close();
    }

    @AfterEach
    void backToTheOriginalRoutes() throws IOException {
        copyOriginals();
        Api.Reply restored = api.post("/api/v1/admin/config/apply", ADMIN_KEY, "");
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
    }

    @Test
    void aChangedRouteTakesOverWhileRequestsKeepComing() throws Exception {
        edit("channel-dummy.yaml", "        - to: direct:accepted\n", "        - to: direct:accepted\n"
                + "        - setHeader:\n            name: X-Sandbox-Flow\n            constant: v2\n");
        assertThat(api.get("/api/v1/admin/config/diff", ADMIN_KEY).data().get("changes").toString())
                .contains("route inbound-dummy changed (channel-dummy.yaml)");

        Map<Integer, Integer> answers = new ConcurrentHashMap<>();
        List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> texts = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int sender = 0; sender < 4; sender++) {
            int id = sender;
            running.add(senders.submit(() -> {
                for (int n = 0; sending.get(); n++) {
                    String text = "during the change " + id + "-" + n;
                    Api.Reply reply = api.post(SANDBOX, "wa-key", "{\"from\":\"+1555020" + id
                            + "\",\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}");
                    answers.merge(reply.status(), 1, Integer::sum);
                    if (reply.status() == 200) {
                        texts.add(text);
                    } else {
                        refusals.add(reply.status() + " " + reply.body());
                    }
                }
            }));
        }
        await().until(() -> texts.size() >= 20);
        Api.Reply applied = api.post("/api/v1/admin/config/apply", ADMIN_KEY, "");
        int atApply = texts.size();
        await().until(() -> texts.size() >= atApply + 20);
        sending.set(false);
        for (Future<?> sender : running) {
            sender.get();
        }
        senders.shutdown();

        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(applied.data().get("changes").toString()).contains("route inbound-dummy changed");
        assertThat(answers).as("every request answered 200 across the change: %s", refusals).containsOnlyKeys(200);
        Api.Reply after = api.post(SANDBOX, "wa-key", "{\"from\":\"+15550299\",\"type\":\"text\",\"text\":"
                + "{\"body\":\"after\"}}");
        assertThat(after.response().headers().firstValue("X-Sandbox-Flow")).contains("v2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(delivered()).containsAll(texts));
        JsonNode latest = versions().get(0);
        assertThat(latest.get("source").asText()).isEqualTo("file");
        assertThat(latest.get("outcome").asText()).isEqualTo("applied");
    }

    @Test
    void aNewRouteFileStartsARemovedOneStopsAndARollbackBringsItBack() throws IOException {
        CamelContext camel = gateway.bean(CamelContext.class);
        Files.writeString(routes.resolve("heartbeat.yaml"), """
                - route:
                    id: heartbeat
                    from:
                      uri: timer:heartbeat?period=60000
                      steps:
                        - log: "still here"
                """);
        Api.Reply added = api.post("/api/v1/admin/config/apply", ADMIN_KEY, "");
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.data().get("changes").toString()).contains("route heartbeat added (heartbeat.yaml)");
        assertThat(camel.getRouteController().getRouteStatus("heartbeat").isStarted()).isTrue();

        Files.delete(routes.resolve("heartbeat.yaml"));
        Api.Reply removed = api.post("/api/v1/admin/config/apply", ADMIN_KEY, "");
        assertThat(removed.data().get("changes").toString()).contains("route heartbeat removed (heartbeat.yaml)");
        assertThat(camel.getRoute("heartbeat")).isNull();

        // a version keeps the routes it ran: rolling back to it brings the route back
        Api.Reply rolledBack = api.post("/api/v1/admin/config/rollback/" + added.data().get("version").asLong(),
                ADMIN_KEY, "");
        assertThat(rolledBack.status()).as(rolledBack.body()).isEqualTo(200);
        assertThat(rolledBack.data().get("changes").toString()).contains("route heartbeat added");
        assertThat(camel.getRouteController().getRouteStatus("heartbeat").isStarted()).isTrue();
        assertThat(versions().get(0).get("source").asText()).isEqualTo("rollback");
    }

    /**
     * A route file's own HTTP endpoint, the way a team adds a CRM's hook: served once applied (with the tenant's key
     * unless its route is public), replaced by a change, kept serving when a change breaks it, gone when removed.
     */
    @Test
    void aRouteFilesOwnHttpEndpointIsServedReplacedAndKeptWhenAChangeBreaksIt() throws IOException {
        Files.writeString(routes.resolve("crm.yaml"), """
                - route:
                    id: crm-hook
                    from:
                      uri: platform-http:/crm/hook
                      parameters:
                        httpMethodRestrict: POST
                      steps:
                        - bean:
                            ref: routeEndpoints
                            method: tenant
                        - setBody:
                            simple: "v1 ${exchangeProperty.meheryTenant} ${body}"
                - route:
                    id: crm-status
                    group: public
                    from:
                      uri: platform-http:/crm/status
                      steps:
                        - setBody:
                            constant: "up"
                """);
        Api.Reply added = api.post("/api/v1/admin/config/apply", ADMIN_KEY, "");
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.data().get("changes").toString()).contains("HTTP endpoint POST /crm/hook (x-api-key) added",
                "HTTP endpoint /crm/status (public) added");

        assertThat(api.post("/crm/hook", null, "hello").status()).isEqualTo(401);
        assertThat(api.post("/crm/hook", "not-a-key", "hello").status()).isEqualTo(401);
        Api.Reply called = api.post("/crm/hook", "wa-key", "hello");
        assertThat(called.status()).as(called.body()).isEqualTo(200);
        assertThat(called.body()).isEqualTo("v1 wa hello");
        assertThat(api.get("/crm/hook", "wa-key").status()).isEqualTo(405);
        assertThat(api.get("/crm/status", null).body()).isEqualTo("up");

        edit("crm.yaml", "v1 ", "v2 ");
        assertThat(api.post("/api/v1/admin/config/apply", ADMIN_KEY, "").status()).isEqualTo(200);
        assertThat(api.post("/crm/hook", "wa-key", "again").body()).isEqualTo("v2 wa again");

        edit("crm.yaml", "        - bean:\n            ref: routeEndpoints",
                "        - bean:\n            ref: noSuchBean");
        Api.Reply broken = api.post("/api/v1/admin/config/apply", ADMIN_KEY, "");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.body()).contains("noSuchBean");
        assertThat(api.post("/crm/hook", "wa-key", "still").body()).isEqualTo("v2 wa still");

        Files.delete(routes.resolve("crm.yaml"));
        Api.Reply removed = api.post("/api/v1/admin/config/apply", ADMIN_KEY, "");
        assertThat(removed.data().get("changes").toString()).contains("HTTP endpoint POST /crm/hook (x-api-key)"
                + " removed");
        assertThat(api.post("/crm/hook", "wa-key", "gone").status()).isEqualTo(404);
    }

    @Test
    void aRouteThatCannotBeBuiltIsRefusedAndTheOldOneServes() throws IOException {
        edit("channel-dummy.yaml", "ref: sandboxInbound", "ref: noSuchBean");
        Api.Reply dryRun = api.post("/api/v1/admin/config/validate", ADMIN_KEY, "");
        assertThat(dryRun.data().get("valid").asBoolean()).isFalse();
        assertThat(dryRun.data().get("problems").toString()).contains("noSuchBean");

        Api.Reply refused = api.post("/api/v1/admin/config/apply", ADMIN_KEY, "");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("noSuchBean");
        assertThat(versions().get(0).get("outcome").asText()).isEqualTo("refused");
        assertThat(api.post(SANDBOX, "wa-key", "{\"from\":\"+15550301\",\"type\":\"text\",\"text\":{\"body\":"
                + "\"still served\"}}").status()).isEqualTo(200);

        copyOriginals();
        edit("channel-dummy.yaml", "to: direct:accepted", "to: nosuchcomponent:accepted");
        assertThat(api.post("/api/v1/admin/config/apply", ADMIN_KEY, "").body()).contains("nosuchcomponent");

        copyOriginals();
        edit("channel-dummy.yaml", "- route:\n    id: outbound-dummy", "- route:\n   id: [outbound-dummy");
        Api.Reply notYaml = api.post("/api/v1/admin/config/apply", ADMIN_KEY, "");
        assertThat(notYaml.status()).isEqualTo(400);
        assertThat(notYaml.body()).contains("channel-dummy.yaml");

        copyOriginals();
        edit("api.yaml", "clientRequestValidation: true", "clientRequestValidation: false");
        assertThat(api.post("/api/v1/admin/config/apply", ADMIN_KEY, "").body())
                .contains("cannot change on a running gateway");
        assertThat(api.post(SANDBOX, "wa-key", "{\"from\":\"+15550301\",\"type\":\"text\",\"text\":{\"body\":"
                + "\"served again\"}}").status()).isEqualTo(200);
    }

    @Test
    void aRouteThatFailsOnceRunningIsRolledBackAndLosesNothing() throws IOException {
        edit("callback-delivery.yaml", """
                      uri: direct:make-handed-over-callback
                      steps:
                """, """
                      uri: direct:make-handed-over-callback
                      steps:
                        - throwException:
                            exceptionType: java.lang.IllegalStateException
                            message: this change is broken
                """);
        Api.Reply applied = api.post("/api/v1/admin/config/apply", ADMIN_KEY, "");
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(applied.data().get("changes").toString()).contains("make-handed-over-callback");

        List<String> texts = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            String text = "through a broken route " + n + " " + System.nanoTime();
            assertThat(api.sandboxText("wa-sandbox", "wa-key", "+1555040" + n, text)).isNotNull();
            texts.add(text);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> versions().get(0).get("outcome").asText()
                .equals("rolled-back"));
        JsonNode rollback = versions().get(0);
        assertThat(rollback.get("source").asText()).isEqualTo("probation");
        assertThat(rollback.get("changes").toString()).contains("this change is broken");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(delivered()).containsAll(texts));
        // the files still hold the broken change: applying them is what would bring it back
        assertThat(api.get("/api/v1/admin/config/diff", ADMIN_KEY).data().get("changes").toString())
                .contains("make-handed-over-callback");
    }

    /** The texts of the messages whose callbacks reached the webhook. */
    private static List<String> delivered() {
        List<String> texts = new ArrayList<>();
        RECEIVER.received("wa", MESSAGE_RECEIVE).forEach(request -> WebhookReceiver.json(request).get("messages")
                .forEach(message -> texts.add(message.at("/text/body").asText())));
        return texts;
    }

    private static JsonNode versions() {
        return api.get("/api/v1/admin/config/versions", ADMIN_KEY).json().get("results");
    }

    private static void edit(String file, String from, String to) throws IOException {
        Path path = routes.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }

    private static void copyOriginals() throws IOException {
        try (Stream<Path> files = Files.list(routes)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        try (Stream<Path> files = Files.list(original)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
    }
}
