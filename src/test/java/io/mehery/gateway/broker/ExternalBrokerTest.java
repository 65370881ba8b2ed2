package io.mehery.gateway.broker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.mehery.gateway.GatewayTestSupport.ADMIN_KEY;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.StandaloneGateway;
import io.mehery.gateway.WebhookReceiver;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.live.ConfigurationDocuments;

/**
 * The gateway on an external broker ({@code spring.artemis.mode=native}) that creates nothing by itself (no
 * auto-created queues): with the rights to manage it, the gateway sets up its queues and address settings, and
 * callbacks, scheduled retries included, flow through it; without them, it does not start, and says what is missing.
 */
class ExternalBrokerTest {

    private static final WebhookReceiver RECEIVER = new WebhookReceiver();

    @TempDir
    Path dataDir;

    @TempDir
    Path brokerDir;

    private EmbeddedActiveMQ broker;
    private int port;

    @BeforeEach
    void startBroker() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Configuration configuration = new ConfigurationImpl().setPersistenceEnabled(true)
                .setJournalDirectory(brokerDir.resolve("journal").toString())
                .setBindingsDirectory(brokerDir.resolve("bindings").toString())
                .setPagingDirectory(brokerDir.resolve("paging").toString())
                .setLargeMessagesDirectory(brokerDir.resolve("large").toString())
                .setSecurityEnabled(true).addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        configuration.addAddressSetting("#", new AddressSettings().setAutoCreateQueues(false)
                .setAutoCreateAddresses(false));
        // operator: everything; app: send and consume only
        configuration.putSecurityRoles("#", Set.of(
                new Role("operator", true, true, true, true, true, true, true, true, true, true, true, true),
                new Role("app", true, true, false, false, false, false, false, false, false, false, false, false)));
        // each instance's own subscription to the cluster's topics, gone with it
        configuration.putSecurityRoles("mehery.cluster.#", Set.of(
                new Role("operator", true, true, true, true, true, true, true, true, true, true, true, true),
                new Role("app", true, true, false, false, true, true, false, false, false, false, false, false)));
        SecurityConfiguration users = new SecurityConfiguration();
        users.addUser("operator", "operator-secret");
        users.addRole("operator", "operator");
        users.addUser("app", "app-secret");
        users.addRole("app", "app");
        broker = new EmbeddedActiveMQ().setConfiguration(configuration)
                .setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        broker.start();
    }

    @AfterEach
    void stopBroker() throws Exception {
        broker.stop();
    }

    private StandaloneGateway gateway(String user, String password) {
        return StandaloneGateway.start(dataDir, "--spring.artemis.mode=native",
                "--spring.artemis.broker-url=tcp://127.0.0.1:" + port, "--spring.artemis.user=" + user,
                "--spring.artemis.password=" + password, "--mehery.webhooks.allow-private-targets=true",
                "--mehery.delivery.retry-schedule=0s,1s,1s");
    }

    @Test
    void theGatewaySetsUpAnExternalBrokerAndCallbacksAndRetriesFlowThroughIt() throws Exception {
        try (StandaloneGateway gateway = gateway("operator", "operator-secret")) {
            assertThat(gateway.beans(EmbeddedActiveMQ.class)).as("a broker of its own beside the external one")
                    .isEmpty();
            var server = broker.getActiveMQServer();
            for (String queue : new String[] {"mehery.outbound", "mehery.dead-letter", "mehery.taps.dead",
                    "mehery.delivery.wa", "mehery.delivery.demo"}) {
                assertThat(server.locateQueue(SimpleString.of(queue))).as(queue).isNotNull();
            }
            AddressSettings delivery = server.getAddressSettingsRepository().getMatch("mehery.delivery.wa");
            assertThat(delivery.getDeadLetterAddress().toString()).isEqualTo("mehery.dead-letter");
            assertThat(delivery.getRedeliveryDelay()).isEqualTo(1_000);
            assertThat(delivery.isAutoDeleteQueues()).isFalse();
            assertThat(server.getAddressSettingsRepository().getMatch("mehery.taps.lake").getDeadLetterAddress()
                    .toString()).isEqualTo("mehery.taps.dead");

            // the first attempt fails: the retry is a message the broker holds until its time
            RECEIVER.answerAll("external", aResponse().withStatus(200));
            RECEIVER.failThenSucceed("external", MESSAGE_RECEIVE, 1, aResponse().withStatus(503));
            var api = gateway.api();
            assertThat(api.post("/api/v1/config/webhook", "wa-key", "{\"url\":\"" + RECEIVER.baseUrl("external")
                    + "\"}").status()).isEqualTo(200);
            String text = "through an external broker " + System.nanoTime();
            api.sandboxText("wa-sandbox", "wa-key", "+15550606060", text);
            await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVER.received("external", MESSAGE_RECEIVE).stream()
                    .filter(r -> r.getBodyAsString().contains(text)).count() == 2);

            // a tenant added on the running gateway gets its delivery queue
            ObjectNode document = new ObjectMapper().valueToTree(ConfigurationDocuments.documentOf(gateway.bean(
                    LiveConfiguration.class).current()));
            ((ObjectNode) document.get("mehery").get("tenants")).putObject("later").put("api-key",
                    "later-key-0123456789").put("verify-token", "later-verify");
            var applied = api.post("/api/v1/admin/config/apply", ADMIN_KEY, document.toString());
            assertThat(applied.status()).as(applied.body()).isEqualTo(200);
            assertThat(server.locateQueue(SimpleString.of("mehery.delivery.later"))).isNotNull();

            // readiness follows the broker: out of rotation while it is unreachable, back when it returns
            assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
            broker.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/actuator/health/readiness", null)
                    .status() == 503);
            assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
            broker.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/actuator/health/readiness", null)
                    .status() == 200);
        }
    }

    @Test
    void withoutTheRightsToSetItUpTheGatewayDoesNotStartAndSaysWhatIsMissing() {
        assertThatThrownBy(() -> gateway("app", "app-secret").close())
                .rootCause().hasMessageContaining("mehery.outbound").hasMessageContaining("mehery.delivery.wa")
                .hasMessageContaining("manage").hasMessageNotContaining("app-secret");
    }
}
