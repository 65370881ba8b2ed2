package io.mehery.gateway.channel.email;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.mehery.gateway.channel.ChannelTestSupport;

import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/** The e-mail channel against a real mail server (GreenMail): sends over SMTP, replies fetched over IMAP. */
class EmailChannelTest extends ChannelTestSupport {

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void aSendIsMailedAndTheReplyComesBackIntoTheSameSession() throws Exception {
        String user = "customer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        var sent = api.post("/api/v1/message/send", "wa-key", """
                {"channelId":"mail-support","to":{"email":"%s"},"type":"text",
                 "text":{"body":"Your ticket #77 is solved\\nReply to this mail to reopen it."}}""".formatted(user));

        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        String sessionId = sent.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> Arrays.stream(MAIL.getReceivedMessages())
                .anyMatch(m -> recipient(m).equals(user)));
        MimeMessage mailed = Arrays.stream(MAIL.getReceivedMessages()).filter(m -> recipient(m).equals(user))
                .findFirst().orElseThrow();
        assertThat(mailed.getSubject()).isEqualTo("Your ticket #77 is solved");
        assertThat(mailed.getFrom()[0].toString()).isEqualTo("support@example.com");
        assertThat(GreenMailUtil.getBody(mailed)).contains("Reply to this mail to reopen it.");
        await().atMost(PATIENCE).until(() -> latest(sessionId).get("status").asText().equals("sent"));
        assertThat(latest(sessionId).get("messageIdExt").asText()).isEqualTo(mailed.getMessageID());

        MimeMessage reply = new MimeMessage(Session.getInstance(new java.util.Properties()));
        reply.setFrom(new InternetAddress(user, "Olga Berg"));
        reply.setRecipients(Message.RecipientType.TO, "support@example.com");
        reply.setSubject("Re: Your ticket #77 is solved");
        reply.setHeader("In-Reply-To", mailed.getMessageID());
        reply.setText("Not solved, the printer still jams.");
        reply.saveChanges();
        deliver(reply);

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, user).size() == 1);
        JsonNode callback = callbacksMentioning(MESSAGE_RECEIVE, user).get(0);
        assertThat(callback.at("/messages/0/text/body").asText()).contains("Re: Your ticket #77 is solved",
                "Not solved, the printer still jams.");
        assertThat(callback.at("/messages/0/session/sessionId").asText()).isEqualTo(sessionId);
        assertThat(callback.at("/contacts/0/profile/name").asText()).isEqualTo("Olga Berg");
        assertThat(callback.at("/contacts/0/profile/email").asText()).isEqualTo(user);
        assertThat(api.get("/api/v1/session/messages?sessionId=" + sessionId, "wa-key").json().get("results"))
                .hasSize(2);
    }

    @Test
    void aReplyJoinsTheThreadItAnswersEvenAfterItsSessionWentIdle() throws Exception {
        String user = "thread-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        var sent = api.post("/api/v1/message/send", TENANT_KEY, """
                {"channelId":"mail-support","to":{"email":"%s"},"type":"text","text":{"body":"Your quote #12"}}"""
                .formatted(user));
        String quoteSession = sent.data().get("sessionId").asText();
        await().atMost(PATIENCE).until(() -> latest(quoteSession).get("status").asText().equals("sent"));
        String quoteId = latest(quoteSession).get("messageIdExt").asText();
        // two days pass: the quote's session is idle, and the user's next unrelated mail opens a new one
        jdbc.update("UPDATE chat_session SET last_activity_at = last_activity_at - ? WHERE id = ?",
                Duration.ofDays(2).toMillis(), quoteSession);
        deliver(mailFrom(user, "Another question", null));
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, user).size() == 1);
        String newSession = callbacksMentioning(MESSAGE_RECEIVE, user).get(0).at("/messages/0/session/sessionId")
                .asText();

        deliver(mailFrom(user, "Re: Your quote #12", quoteId));

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, user).size() == 2);
        assertThat(newSession).isNotEqualTo(quoteSession);
        assertThat(callbacksMentioning(MESSAGE_RECEIVE, user)).filteredOn(c -> c.toString().contains("Re: Your quote"))
                .singleElement().satisfies(c -> assertThat(c.at("/messages/0/session/sessionId").asText())
                        .isEqualTo(quoteSession));
    }

    private static MimeMessage mailFrom(String user, String subject, String inReplyTo) throws Exception {
        MimeMessage mail = new MimeMessage(Session.getInstance(new java.util.Properties()));
        mail.setFrom(new InternetAddress(user));
        mail.setRecipients(Message.RecipientType.TO, "support@example.com");
        mail.setSubject(subject);
        if (inReplyTo != null) {
            mail.setHeader("In-Reply-To", inReplyTo);
        }
        mail.setText("Thanks.");
        mail.saveChanges();
        return mail;
    }

    private static void deliver(MimeMessage mail) {
        MAIL.getManagers().getUserManager().getUser("support@example.com").deliver(mail);
    }

    @Test
    void anAttachmentIsKeptAsItsOwnMessageAndServedByTheMediaEndpoint() throws Exception {
        String user = "sender-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        MimeMessage mail = new MimeMessage(Session.getInstance(new java.util.Properties()));
        mail.setFrom(new InternetAddress(user, "Per Sender"));
        mail.setRecipients(Message.RecipientType.TO, "support@example.com");
        mail.setSubject("Re: your offer");
        mail.setHeader("In-Reply-To", "<offer-1@example.com>");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Signed, see attached.");
        MimeBodyPart file = new MimeBodyPart();
        file.setContent("%PDF-1.4 signed offer".getBytes(StandardCharsets.UTF_8), "application/pdf");
        file.setFileName("offer-signed.pdf");
        mail.setContent(new MimeMultipart(text, file));
        mail.saveChanges();

        deliver(mail);

        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, user).size() == 2);
        JsonNode document = callbacksMentioning(MESSAGE_RECEIVE, user).stream()
                .map(c -> c.at("/messages/0")).filter(m -> m.get("type").asText().equals("document")).findFirst()
                .orElseThrow();
        assertThat(document.at("/document/filename").asText()).isEqualTo("offer-signed.pdf");
        assertThat(document.at("/document/mime_type").asText()).isEqualTo("application/pdf");
        assertThat(document.at("/document/link").asText()).endsWith("/api/v1/media/" + document.get("id").asText());
        var served = api.get("/api/v1/media/" + document.get("id").asText(), TENANT_KEY);
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.body()).isEqualTo("%PDF-1.4 signed offer");
        assertThat(served.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/pdf"));
        JsonNode history = api.get("/api/v1/session/messages?sessionId=" + document.at("/session/sessionId").asText(),
                TENANT_KEY).json().get("results");
        assertThat(history).allSatisfy(m -> assertThat(m.get("replyIdExt").asText())
                .isEqualTo("<offer-1@example.com>"));
    }

    @Test
    void aDocumentIsFetchedFromItsLinkAndAttached() throws Exception {
        String user = "buyer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        PROVIDERS.stubFor(get("/files/invoice-77.pdf").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/pdf").withBody("%PDF-1.4 invoice 77")));

        var sent = api.post("/api/v1/message/send", TENANT_KEY, """
                {"channelId":"mail-support","to":{"email":"%s"},"type":"document",
                 "document":{"link":"http://127.0.0.1:%d/files/invoice-77.pdf","caption":"Your invoice",
                 "filename":"invoice-77.pdf"}}""".formatted(user, PROVIDERS.port()));

        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> Arrays.stream(MAIL.getReceivedMessages())
                .anyMatch(m -> recipient(m).equals(user)));
        MimeMessage mailed = Arrays.stream(MAIL.getReceivedMessages()).filter(m -> recipient(m).equals(user))
                .findFirst().orElseThrow();
        assertThat(mailed.getSubject()).isEqualTo("Your invoice");
        Multipart parts = (Multipart) mailed.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("invoice-77.pdf");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("application/pdf");
        assertThat(new String(parts.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("%PDF-1.4 invoice 77");
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (Exception e) {
            return "";
        }
    }
}
