package io.mehery.gateway.cluster;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.mehery.gateway.Api;
import io.mehery.gateway.StandaloneGateway;
import io.mehery.gateway.channel.push.PushKeys;
import io.mehery.gateway.channel.website.WidgetFrames;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.delivery.WebhookBreakers;
import io.mehery.gateway.live.ConfigurationDocuments;

/**
 * Two instances on one PostgreSQL database and one broker act as one gateway: a configuration applied (or rolled
 * back) through either runs on both at once, both answer the same versions and say which version each runs, a
 * business message sent through one reaches the visitor's widget connected to the other, and a webhook one finds
 * failing is held by both, and a channel's max-rate holds for the two together. Needs the PostgreSQL
 * server at 127.0.0.1:5432 (database {@code test}, a schema of the run's own); skipped without it.
 */
class ClusterTest {

    private static final String ADMIN_KEY = "demo-admin-key";
    private static final String POSTGRES = System.getProperty("mehery.test.postgres.url",
            "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String SITE = "https://shop.example";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than every wait below: what reaches the other instance in time came by the topic. */
    private static final String FOLLOW_EVERY = "60s";

    private static EmbeddedActiveMQ broker;
    private static String schema;
    private static StandaloneGateway first;
    private static StandaloneGateway second;

    @BeforeAll
    static void startTwoInstances() throws Exception {
        boolean reachable;
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "")) {
            reachable = c.isValid(2);
        } catch (Exception unreachable) {
            reachable = false;
        }
        assumeTrue(reachable, "Cluster tests skipped: no PostgreSQL server answers at " + POSTGRES
                + " as postgres (start one, or set -Dmehery.test.postgres.url)");
        schema = "cluster_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "")) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl().setPersistenceEnabled(false)
                .setSecurityEnabled(false).addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port));
        broker.start();
        first = instance(Files.createTempDirectory("cluster-a"), port);
        second = instance(Files.createTempDirectory("cluster-b"), port);
    }

    /** The instances of a cluster run on the same files: here, the same push key files. */
    private static final List<String> KEY_FILES = PushKeys.arguments("http://127.0.0.1:9/oauth2/token");

    private static StandaloneGateway instance(Path dataDir, int brokerPort) {
        List<String> arguments = new ArrayList<>(KEY_FILES);
        arguments.addAll(List.of("--spring.profiles.active=postgres",
                "--spring.datasource.url=" + POSTGRES + "?currentSchema=" + schema,
                "--spring.artemis.mode=native", "--spring.artemis.broker-url=tcp://127.0.0.1:" + brokerPort,
                "--mehery.cluster.follow-every=" + FOLLOW_EVERY, "--mehery.webhooks.allow-private-targets=true",
                "--mehery.console.sample-every=1s"));
        return StandaloneGateway.startWithProfiles(List.of("test", "demo"), dataDir,
                arguments.toArray(String[]::new));
    }

    @AfterAll
    static void stop() throws Exception {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        if (broker != null) {
            broker.stop();
        }
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "")) {
                c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    void aChangeAppliedOnOneInstanceRunsOnBothAndARollbackLikewise() {
        ObjectNode document = running(first);
        ((ObjectNode) document.get("mehery").get("channels")).putObject("cluster-sandbox").put("tenant", "demo")
                .put("type", "DUMMY").put("lane", "cluster-sandbox");
        Api.Reply applied = first.api().post("/api/v1/admin/config/apply", ADMIN_KEY, document.toString());
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        long version = applied.data().get("version").asLong();

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(second.api()
                .sandboxText("cluster-sandbox", "demo-key", "+15558880001", "through the other instance"))
                .isNotNull());
        assertThat(versions(second)).isEqualTo(versions(first));
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(instances(first))
                .extracting(i -> i.get("version").asLong()).hasSize(2).containsOnly(version));
        assertThat(health(second).at("/components/configuration/details/version").asLong()).isEqualTo(version);

        Api.Reply rolledBack = second.api().post("/api/v1/admin/config/rollback/" + (version - 1), ADMIN_KEY, "");
        assertThat(rolledBack.status()).as(rolledBack.body()).isEqualTo(200);
        long rollback = rolledBack.data().get("version").asLong();
        await().atMost(Duration.ofSeconds(2)).until(() -> !first.bean(LiveConfiguration.class).channels()
                .containsKey("cluster-sandbox"));
        assertThat(first.api().post("/webhooks/dummy/cluster-sandbox", "demo-key", "{\"from\":\"+15558880002\","
                + "\"type\":\"text\",\"text\":{\"body\":\"gone\"}}").status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(instances(second))
                .extracting(i -> i.get("version").asLong()).containsOnly(rollback));
    }

    @Test
    void eitherInstancesOverviewShowsEachInstanceAndBothTogether() {
        for (int i = 0; i < 3; i++) {
            first.api().sandboxText("sandbox", "demo-key", "+1555888010" + i, "to the first instance");
            second.api().sandboxText("sandbox", "demo-key", "+1555888020" + i, "to the second instance");
        }
        for (StandaloneGateway reader : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonNode overview = reader.api().get("/api/v1/admin/overview", ADMIN_KEY).data();
                assertThat(overview.get("instances")).hasSize(2);
                double together = accepted(overview.get("together"));
                for (JsonNode instance : overview.get("instances")) {
                    assertThat(accepted(instance.get("series"))).as(instance.get("instance").asText()).isPositive()
                            .isLessThan(together);
                }
            });
        }
    }

    /** The accepts of a series, added up over its points (each a rate over about a second). */
    private static double accepted(JsonNode series) {
        double sum = 0;
        for (JsonNode rate : series.get("acceptsPerSecond")) {
            sum += rate.asDouble();
        }
        return sum;
    }

    /** On PostgreSQL, which refuses every statement of a transaction after a failed one until a savepoint is undone. */
    @Test
    void aMessageTheProviderSendsAgainIsAnsweredWithItsFirstReceiptByEitherInstance() {
        String message = "{\"id\":\"provider-sent-twice\",\"from\":\"+15558880077\",\"type\":\"text\","
                + "\"text\":{\"body\":\"did you get this?\"}}";
        Api.Reply once = first.api().post("/webhooks/dummy/sandbox", "demo-key", message);
        Api.Reply again = second.api().post("/webhooks/dummy/sandbox", "demo-key", message);
        Api.Reply thrice = first.api().post("/webhooks/dummy/sandbox", "demo-key", message);

        assertThat(once.status()).as(once.body()).isEqualTo(200);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(thrice.status()).as(thrice.body()).isEqualTo(200);
        assertThat(List.of(again.data().get("id").asText(), thrice.data().get("id").asText()))
                .containsOnly(once.data().get("id").asText());
    }

    @Test
    void aReplySentThroughOneInstanceReachesTheWidgetConnectedToTheOther() throws Exception {
        String channel = "/webhooks/website/wa-web";
        Api.Reply visit = first.api().send(first.api().request(channel + "/visitors", null)
                .header("Content-Type", "application/json").header("Origin", SITE)
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(visit.status()).as(visit.body()).isEqualTo(200);
        WidgetFrames frames = new WidgetFrames();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", SITE)
                .buildAsync(URI.create("ws://127.0.0.1:" + second.api().port() + channel + "/live"), frames)
                .get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"hello\",\"token\":\"" + visit.data().get("token").asText() + "\"}", true);
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.ofType("ready").size() == 1);

        Api.Reply sent = first.api().post("/api/v1/message/send", "wa-key", "{\"channelId\":\"wa-web\","
                + "\"to\":{\"phone\":\""
                + visit.data().get("visitorId").asText() + "\"},\"type\":\"text\",\"text\":{\"body\":\"from A\"}}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        String id = sent.data().get("id").asText();
        await().atMost(Duration.ofSeconds(1)).until(() -> frames.ofType("message").stream()
                .anyMatch(f -> f.at("/message/id").asText().equals(id)));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void aWebhookBreakerThatOpensOnOneInstanceHoldsTheOthersCallbacksToo() {
        WebhookBreakers found = first.bean(WebhookBreakers.class);
        for (int call = 0; call < 20 && found.state("calm") != CircuitBreaker.State.OPEN; call++) {
            assertThat(found.permits("calm")).isTrue();
            found.failed("calm", 5, new IOException("HTTP 503"));
        }
        assertThat(found.state("calm")).isEqualTo(CircuitBreaker.State.OPEN);

        WebhookBreakers told = second.bean(WebhookBreakers.class);
        await().atMost(Duration.ofSeconds(2)).until(() -> told.state("calm") == CircuitBreaker.State.OPEN);
        assertThat(told.permits("calm")).as("the other instance holds the tenant's callbacks").isFalse();
    }

    /**
     * A channel with max-rate 20/s, sends through both instances at once: every one reaches the provider, and the
     * provider never sees more than 20 calls in a second from the two together.
     */
    @Test
    void aChannelsMaxRateHoldsForBothInstancesTogether() {
        WireMockServer provider = new WireMockServer(options().dynamicPort());
        provider.start();
        try {
            provider.stubFor(post(urlPathMatching("/bot.*/sendMessage")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withTransformers("response-template")
                    .withBody("{\"ok\":true,\"result\":{\"message_id\":{{randomInt lower=1 upper=999999999}},"
                            + "\"chat\":{\"id\":555}}}")));
            ObjectNode document = running(first);
            ((ObjectNode) document.get("mehery").get("channels")).putObject("rated-telegram").put("tenant", "wa")
                    .put("type", "TELEGRAM").put("lane", "rated_bot").put("bot-token", "123:rated")
                    .put("secret-token", "rated-secret").put("base-url", provider.baseUrl()).put("max-rate", "20/s");
            Api.Reply applied = first.api().post("/api/v1/admin/config/apply", ADMIN_KEY, document.toString());
            assertThat(applied.status()).as(applied.body()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(2)).until(() -> second.bean(LiveConfiguration.class).channels()
                    .containsKey("rated-telegram"));

            int sends = 100;
            java.util.stream.IntStream.range(0, sends).parallel().forEach(n -> {
                Api api = (n % 2 == 0 ? first : second).api();
                Api.Reply sent = api.post("/api/v1/message/send", "wa-key", "{\"channelId\":\"rated-telegram\","
                        + "\"to\":{\"phone\":\"" + (7_000_000 + n) + "\"},\"type\":\"text\",\"text\":{\"body\":"
                        + "\"rated " + n + "\"}}");
                assertThat(sent.status()).as(sent.body()).isEqualTo(200);
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> provider.getAllServeEvents().size() == sends);
            Map<Long, Long> perSecond = provider.getAllServeEvents().stream().collect(Collectors.groupingBy(
                    event -> event.getRequest().getLoggedDate().getTime() / 1000, Collectors.counting()));
            assertThat(perSecond.values()).as("calls in each second").allSatisfy(calls -> assertThat(calls)
                    .isLessThanOrEqualTo(20));
        } finally {
            provider.stop();
        }
    }

    private static ObjectNode running(StandaloneGateway gateway) {
        Map<String, Object> document = new LinkedHashMap<>(ConfigurationDocuments.documentOf(
                gateway.bean(LiveConfiguration.class).current()));
        return JSON.valueToTree(document);
    }

    private static JsonNode versions(StandaloneGateway gateway) {
        return gateway.api().get("/api/v1/admin/config/versions", ADMIN_KEY).json().get("results");
    }

    private static List<JsonNode> instances(StandaloneGateway gateway) {
        Api.Reply reply = gateway.api().get("/api/v1/admin/config/instances", ADMIN_KEY);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<JsonNode> shown = new ArrayList<>();
        reply.json().get("results").forEach(shown::add);
        return shown;
    }

    private static JsonNode health(StandaloneGateway gateway) {
        return gateway.api().get("/actuator/health", ADMIN_KEY).json();
    }
}
