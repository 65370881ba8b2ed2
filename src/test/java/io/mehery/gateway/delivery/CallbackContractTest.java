package io.mehery.gateway.delivery;

import static io.mehery.gateway.WebhookReceiver.ACTION_EVENT;
import static io.mehery.gateway.WebhookReceiver.CONTACT_INFO;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static io.mehery.gateway.channel.Providers.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.mehery.gateway.api.ContractDocument;
import io.mehery.gateway.channel.ChannelTestSupport;
import io.mehery.gateway.channel.Providers;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * Every channel's fixtures (every kind of message each provider sends, replies, edits, button presses, files) go
 * through the gateway, and every callback body the client gets is validated against the callback schemas of the
 * gateway's own OpenAPI document, unknown properties included.
 */
class CallbackContractTest extends ChannelTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static OpenAPI contract;
    private static final Map<String, Schema<?>> CALLBACK_SCHEMAS = new LinkedHashMap<>();

    @BeforeAll
    static void readContract() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        contract = new OpenAPIV3Parser().readContents(fixtureOfClasspath(ContractDocument.LOCATION), null, options)
                .getOpenAPI();
        contract.getPaths().get("/api/v1/config/webhook").getPost().getCallbacks().values()
                .forEach(callback -> callback.forEach((expression, path) -> CALLBACK_SCHEMAS.put(
                        expression.substring(expression.indexOf('}') + 1),
                        path.getPost().getRequestBody().getContent().get("application/json").getSchema())));
        assertThat(CALLBACK_SCHEMAS).containsOnlyKeys(MESSAGE_RECEIVE, CONTACT_INFO, ACTION_EVENT);
    }

    @Test
    void theValidatorRefusesWhatTheDocumentDoesNotSay() {
        assertThat(violationsOf(ACTION_EVENT, "{\"actionCode\":\"X\",\"undocumented\":1}")).isNotEmpty();
        assertThat(violationsOf(MESSAGE_RECEIVE, "{\"actions\":[],\"contacts\":[],\"messages\":[{\"type\":\"image\","
                + "\"image\":{\"id\":\"1\",\"link\":\"x\"}}]}")).isNotEmpty();
        assertThat(violationsOf(ACTION_EVENT, "{\"actionCode\":\"X\"}")).isEmpty();
    }

    private static List<String> violationsOf(String callback, String body) {
        return new SchemaValidator(contract, new MessageResolver()).validate(body, CALLBACK_SCHEMAS.get(callback),
                "callback").getMessages().stream().map(m -> m.getMessage()).toList();
    }

    @Test
    void everyCallbackOfEveryChannelMatchesTheDocument() throws Exception {
        String uid = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        String media = "http://127.0.0.1:" + PROVIDERS.port() + "/files";
        Map<String, Integer> expected = new LinkedHashMap<>();

        String whatsAppUser = "1" + uid;
        for (String name : List.of("every-kind.json", "reply-and-edit.json")) {
            String payload = fixture("whatsapp/" + name).replace("${uid}", uid).replace("16315552222", whatsAppUser);
            assertAccepted(Providers.meta(api, "/webhooks/whatsapp/wa-whatsapp", "wa-app-secret", payload));
        }
        expected.merge(MESSAGE_RECEIVE, 12 + 3, Integer::sum);
        expected.merge(ACTION_EVENT, 3, Integer::sum);

        for (JsonNode update : JSON.readTree(fixture("telegram/updates.json").replace("${uid}", uid)
                .replace("${chat}", uid))) {
            assertAccepted(Providers.telegram(api, "/webhooks/telegram/tg-telegram", "tg-secret-token",
                    update.toString()));
        }
        expected.merge(MESSAGE_RECEIVE, 14, Integer::sum);
        expected.merge(ACTION_EVENT, 1, Integer::sum);

        for (String[] page : new String[][] {{"facebook/fb-page", "page", "112233445566", "fb-app-secret"},
                {"instagram/ig-account", "instagram", "17841400000000000", "ig-app-secret"}}) {
            String batch = fixture("messenger/events.json").replace("${uid}", uid).replace("${object}", page[1])
                    .replace("${page}", page[2]).replace("${media}", media);
            assertAccepted(Providers.meta(api, "/webhooks/" + page[0], page[3], batch));
            expected.merge(MESSAGE_RECEIVE, 13, Integer::sum);
            expected.merge(ACTION_EVENT, 2, Integer::sum);
        }

        for (Map<String, String> form : JSON.readValue(fixture("sms/forms.json").replace("${uid}", uid)
                .replace("${media}", media), new TypeReference<List<Map<String, String>>>() { })) {
            assertAccepted(Providers.twilio(api, "/webhooks/sms/tw-sms", "tw-auth-token",
                    "https://gateway.example.com/webhooks/sms/tw-sms", form));
        }
        expected.merge(MESSAGE_RECEIVE, 3, Integer::sum);

        for (JsonNode message : JSON.readTree(fixture("sandbox/messages.json").replace("${uid}", uid))) {
            assertAccepted(api.post("/webhooks/dummy/wa-sandbox", TENANT_KEY, message.toString()));
        }
        expected.merge(MESSAGE_RECEIVE, 5, Integer::sum);
        expected.merge(ACTION_EVENT, 1, Integer::sum);

        for (String[] dm : new String[][] {{"twitter/dm-text.json", "t"}, {"twitter/dm-photo.json", "p"}}) {
            assertAccepted(Providers.x(api, "/webhooks/twitter/x-dm", "test-consumer-secret", fixture(dm[0])
                    .replace("{{eventId}}", dm[1] + uid).replace("{{senderId}}", uid)
                    .replace("{{text}}", "from X " + uid).replace("{{mediaUrl}}", media + "/x-" + uid + ".jpg")));
        }
        expected.merge(MESSAGE_RECEIVE, 2, Integer::sum);

        String visitor = api.post("/webhooks/website/wa-web/visitors", null, "{}").data().get("token").asText();
        assertAccepted(api.send(api.request("/webhooks/website/wa-web", null).header("Authorization", "Bearer "
                + visitor).header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers
                        .ofString("{\"clientId\":\"c" + uid + "\",\"text\":\"from the site " + uid + "\"}"))));
        assertAccepted(api.send(api.request("/webhooks/website/wa-web/files?clientId=f" + uid + "&caption=" + uid,
                null).header("Authorization", "Bearer " + visitor).header("Content-Type", "application/pdf")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("%PDF-1.4 " + uid))));
        expected.merge(MESSAGE_RECEIVE, 2, Integer::sum);

        MAIL.getManagers().getUserManager().getUser("support@example.com").deliver(mailWithAttachment(uid));
        expected.merge(MESSAGE_RECEIVE, 2, Integer::sum);

        await().atMost(PATIENCE).untilAsserted(() -> expected.forEach((callback, count) ->
                assertThat(mentioning(callback, uid)).as(callback).hasSize(count)));
        Map<String, String> violations = new LinkedHashMap<>();
        for (String callback : List.of(MESSAGE_RECEIVE, ACTION_EVENT, CONTACT_INFO)) {
            for (LoggedRequest request : receiver.received("wa", callback)) {
                violationsOf(callback, request.getBodyAsString()).forEach(m -> violations.putIfAbsent(
                        callback + ": " + m.replaceAll("/\\d+/", "/n/"), "in " + request.getBodyAsString()));
            }
        }
        assertThat(violations).isEmpty();
    }

    private List<LoggedRequest> mentioning(String callback, String uid) {
        return receiver.received("wa", callback).stream().filter(r -> r.getBodyAsString().contains(uid)).toList();
    }

    private static MimeMessage mailWithAttachment(String uid) throws Exception {
        MimeMessage mail = new MimeMessage(Session.getInstance(new java.util.Properties()));
        mail.setFrom(new InternetAddress("mailer-" + uid + "@example.org", "Mo Mailer"));
        mail.setRecipients(Message.RecipientType.TO, "support@example.com");
        mail.setSubject("The form " + uid);
        mail.setHeader("In-Reply-To", "<earlier-" + uid + "@example.org>");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Filled in, attached.");
        MimeBodyPart file = new MimeBodyPart();
        file.setContent("%PDF-1.4 the form".getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/pdf");
        file.setFileName("form.pdf");
        mail.setContent(new MimeMultipart(text, file));
        mail.saveChanges();
        return mail;
    }

    private static void assertAccepted(io.mehery.gateway.Api.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private static String fixtureOfClasspath(String location) {
        try (var in = CallbackContractTest.class.getClassLoader().getResourceAsStream(location)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
