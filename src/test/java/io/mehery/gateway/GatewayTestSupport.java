package io.mehery.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import io.mehery.gateway.channel.dummy.SandboxOutbound;
import io.mehery.gateway.channel.email.EmailOutbound;
import io.mehery.gateway.channel.messenger.MessengerOutbound;
import io.mehery.gateway.channel.push.PushKeys;
import io.mehery.gateway.channel.sms.TwilioOutbound;
import io.mehery.gateway.channel.telegram.TelegramOutbound;
import io.mehery.gateway.channel.whatsapp.WhatsAppOutbound;

/**
 * The whole gateway on a random port, with its embedded H2 and Artemis in a data dir of its own. Test classes
 * extending this share one running gateway, so each test makes its own contacts (unique addresses).
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"test", "demo"})
@AutoConfigureObservability // the Prometheus endpoint, as in production
public abstract class GatewayTestSupport {

    /** The operator's key ({@code mehery.admin.api-key}) of the test configuration. */
    public static final String ADMIN_KEY = "demo-admin-key";

    protected static final Path DATA_DIR = newDataDir();
    /** Every provider API (WhatsApp Graph, ...) of the test channels, on this host. */
    protected static final WireMockServer PROVIDERS = startProviders();
    /** The operator's webhook (mehery.operations.webhook): every operational event of the suite goes there. */
    protected static final WebhookReceiver OPERATIONS = operationsWebhook();
    public static final String OPERATIONS_SECRET = "whsec_b3BlcmF0aW9ucy1zaWduaW5nLXNlY3JldC0xMjM0NTY=";
    public static final String OPERATIONS_PATH = "/api/v1/operations";
    /** An OTLP/HTTP trace receiver (management.otlp.tracing.endpoint): the suite's spans are exported there. */
    protected static final WireMockServer OTLP = startOtlpReceiver();
    public static final String OTLP_PATH = "/v1/traces";
    /** The mail server of the test e-mail channel: SMTP for its sends, IMAP for its mailbox. */
    protected static final GreenMail MAIL = startMail();
    private static final Path SERVICE_ACCOUNT_FILE = PushKeys.serviceAccountFile("http://127.0.0.1:" + PROVIDERS.port()
            + "/oauth2/token");
    private static final Path APNS_KEY_FILE = PushKeys.apnsKeyFile();

    @LocalServerPort
    int port;

    /*
     * Every channel's outbound bean, as a spy, so that a test can break one on purpose (OutboundFailureTest). They
     * are spies in every test class, so that all share one running gateway; they act as the real beans unless a
     * test stubs them, and Mockito resets them after each test.
     */
    @MockitoSpyBean
    protected WhatsAppOutbound whatsAppOutbound;
    @MockitoSpyBean
    protected TelegramOutbound telegramOutbound;
    @MockitoSpyBean
    protected MessengerOutbound messengerOutbound;
    @MockitoSpyBean
    protected TwilioOutbound twilioOutbound;
    @MockitoSpyBean
    protected EmailOutbound emailOutbound;
    @MockitoSpyBean
    protected SandboxOutbound sandboxOutbound;

    protected Api api;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("mehery.data-dir", DATA_DIR::toString);
        // callbacks go to a receiver on this host, on a schedule short enough to watch
        registry.add("mehery.webhooks.allow-private-targets", () -> "true");
        // file taps of the tests write under target/
        registry.add("mehery.tap-folder", () -> Path.of("target").toAbsolutePath().toString());
        registry.add("mehery.delivery.retry-schedule", () -> "0s,300ms,300ms,300ms");
        registry.add("mehery.delivery.timeout", () -> "1s");
        // more consumers than the default, so that the order of a contact's callbacks is put to the test
        registry.add("mehery.delivery.consumers-per-tenant", () -> "8");
        // the HTTP edge's limits, small enough for its tests to reach (EdgeHardeningTest)
        registry.add("mehery.http.body-timeout", () -> "2s");
        registry.add("mehery.http.max-unauthenticated", () -> "8");
        registry.add("mehery.http.auth-failure-limit", () -> "100");
        registry.add("server.tomcat.connection-timeout", () -> "2s");
        // the suite's widget tests all visit from 127.0.0.1 within a minute; WebsiteChannelTest reaches it from 127.0.0.3
        registry.add("mehery.webchat.visitors-per-minute-per-address", () -> "60");
        registry.add("mehery.delivery.breaker.open-for", () -> "1s");
        // the people and organisations of a message's tags come from an NLP service the team runs (MessageTagsTest)
        registry.add("mehery.tags.entities-uri", () -> "http://127.0.0.1:" + PROVIDERS.port() + "/nlp/entities");
        // the console's overview moves within a test's patience
        registry.add("mehery.console.sample-every", () -> "1s");
        registry.add("management.otlp.tracing.endpoint", () -> OTLP.baseUrl() + OTLP_PATH);
        registry.add("mehery.operations.webhook.url", () -> OPERATIONS.baseUrl("ops") + OPERATIONS_PATH);
        registry.add("mehery.operations.webhook.signing-secret", () -> OPERATIONS_SECRET);
        registry.add("mehery.channels.wa-whatsapp.base-url", () -> "http://127.0.0.1:" + PROVIDERS.port() + "/v21.0");
        registry.add("mehery.channels.tg-telegram.base-url", () -> "http://127.0.0.1:" + PROVIDERS.port());
        String mailbox = "?username=support@example.com&password=secret";
        registry.add("mehery.channels.mail-support.smtp-url",
                () -> "smtp://127.0.0.1:" + MAIL.getSmtp().getPort() + mailbox);
        registry.add("mehery.channels.mail-support.imap-url",
                () -> "imap://127.0.0.1:" + MAIL.getImap().getPort() + mailbox + "&delay=300&initialDelay=300");
        registry.add("mehery.channels.tw-sms.base-url", () -> "http://127.0.0.1:" + PROVIDERS.port());
        registry.add("mehery.channels.x-dm.base-url", () -> "http://127.0.0.1:" + PROVIDERS.port() + "/x");
        registry.add("mehery.channels.app-fcm.base-url", () -> "http://127.0.0.1:" + PROVIDERS.port() + "/fcm");
        registry.add("mehery.channels.app-fcm.service-account-file", SERVICE_ACCOUNT_FILE::toString);
        registry.add("mehery.channels.app-apns.base-url", () -> "http://127.0.0.1:" + PROVIDERS.port() + "/apns");
        registry.add("mehery.channels.app-apns.private-key-file", APNS_KEY_FILE::toString);
        registry.add("mehery.channels.fb-page.base-url", () -> "http://127.0.0.1:" + PROVIDERS.port() + "/fb/v21.0");
        registry.add("mehery.channels.ig-account.base-url", () -> "http://127.0.0.1:" + PROVIDERS.port() + "/ig/v21.0");
        registry.add("mehery.analytics.sink-uri",
                () -> "file:" + DATA_DIR.resolve("analytics-sink") + "?fileName=$simple{exchangeId}.json");
    }

    /** The gateway's HTTP port, for clients other than {@link #api}. */
    protected int port() {
        return port;
    }

    @BeforeEach
    void connect() {
        api = new Api(port);
    }

    /** A user address no other test uses. */
    protected static String uniquePhone() {
        return "+1555" + (1_000_000 + (long) (Math.random() * 8_999_999));
    }

    private static WebhookReceiver operationsWebhook() {
        WebhookReceiver receiver = new WebhookReceiver();
        receiver.answerAll("ops", WireMock.aResponse().withStatus(204));
        return receiver;
    }

    static WireMockServer startProviders() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        return server;
    }

    static WireMockServer startOtlpReceiver() {
        WireMockServer server = startProviders();
        server.stubFor(WireMock.post(OTLP_PATH).willReturn(WireMock.aResponse().withStatus(200)));
        return server;
    }

    /**
     * Whether the spans exported so far include each of these ids (hex, as in a traceparent): an OTLP export is
     * protobuf, where a span's trace id, span id and parent span id are their raw bytes.
     */
    public static boolean exportedSpansHold(String... hexIds) {
        List<byte[]> bodies = OTLP.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(OTLP_PATH))).stream()
                .map(LoggedRequest::getBody).toList();
        return Arrays.stream(hexIds).map(HexFormat.of()::parseHex)
                .allMatch(id -> bodies.stream().anyMatch(body -> holds(body, id)));
    }

    private static boolean holds(byte[] body, byte[] part) {
        for (int at = 0; at + part.length <= body.length; at++) {
            if (Arrays.equals(body, at, at + part.length, part, 0, part.length)) {
                return true;
            }
        }
        return false;
    }

    static GreenMail startMail() {
        GreenMail mail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        mail.start();
        mail.setUser("support@example.com", "support@example.com", "secret");
        Runtime.getRuntime().addShutdownHook(new Thread(mail::stop));
        return mail;
    }

    static Path newDataDir() {
        try {
            // under target/, so that `mvn clean` takes the journals and databases of earlier runs with it
            Path runs = Files.createDirectories(Path.of("target", "test-data"));
            return Files.createTempDirectory(runs.toAbsolutePath(), "gateway-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
