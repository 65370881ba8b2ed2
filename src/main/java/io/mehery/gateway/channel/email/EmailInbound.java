package io.mehery.gateway.channel.email;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.attachment.Attachment;
import org.apache.camel.attachment.AttachmentMessage;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.conversation.Accepted;
import io.mehery.gateway.conversation.InboundMessages;
import io.mehery.gateway.conversation.MeheryMessage;
import io.mehery.gateway.security.Channels;
import io.mehery.gateway.security.Digests;
import io.mehery.gateway.store.GroupCommit;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * A mail fetched from an e-mail channel's mailbox: the sender's address is the contact, their display name its
 * name; the mail's Message-ID keeps a mailbox polled twice from storing it twice. A reply names the message it
 * answers in In-Reply-To (or References) and joins that message's session, however long it was idle; other mail
 * joins the sender's open session (mehery.sessions.idle-timeout).
 */
@Component("emailInbound")
public class EmailInbound {

    private final Channels channels;
    private final InboundMessages inbound;
    private final GroupCommit commits;
    private final long maxMedia;

    public EmailInbound(Channels channels, InboundMessages inbound, GroupCommit commits, MeheryProperties properties) {
        this.channels = channels;
        this.inbound = inbound;
        this.commits = commits;
        this.maxMedia = properties.http().maxMedia().toBytes();
    }

    /**
     * The mail's text is one message (known by the Message-ID); each attachment one more, known by
     * {@code <Message-ID>#2}, {@code #3}..., its file kept by the gateway; all in one write, so a mail is stored whole
     * or (left unread) fetched again.
     */
    public Accepted receive(@ExchangeProperty(RouteProperties.MAILBOX_CHANNEL) String channelId,
            @Header("From") String from, @Header("Subject") String subject, @Header("Message-ID") String messageId,
            @Header("In-Reply-To") String inReplyTo, @Header("References") String references, @Body String body,
            Exchange exchange) {
        Channel channel = channels.ofType(channelId, ChannelType.EMAIL);
        InternetAddress sender = parse(from);
        String address = sender.getAddress().toLowerCase(java.util.Locale.ROOT);
        String text = (subject == null || subject.isBlank() ? "" : subject.strip() + "\n\n")
                + (body == null ? "" : body.strip());
        String repliedTo = repliedTo(inReplyTo, references);
        AttachmentMessage mail = exchange.getMessage(AttachmentMessage.class);
        Map<String, Attachment> attachments = mail.hasAttachments() ? mail.getAttachmentObjects() : Map.of();
        return commits.write(() -> {
            Accepted accepted = inbound.receive(channelId, channel, address, sender.getPersonal(), messageId,
                    MeheryMessage.text(text).replyingTo(repliedTo));
            int n = 1;
            for (Map.Entry<String, Attachment> attachment : attachments.entrySet()) {
                inbound.receive(channelId, channel, address, sender.getPersonal(),
                        messageId == null ? null : messageId + "#" + ++n,
                        attachment(attachment.getKey(), attachment.getValue()).replyingTo(repliedTo));
            }
            return accepted;
        });
    }

    /** An attachment as a file message; one larger than mehery.http.max-media is named, not kept. */
    private MeheryMessage attachment(String name, Attachment attachment) {
        String mime = attachment.getDataHandler().getContentType().split(";")[0].trim()
                .toLowerCase(java.util.Locale.ROOT);
        try (InputStream in = attachment.getDataHandler().getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxMedia + 1));
            if (bytes.length > maxMedia) {
                return MeheryMessage.system(JsonNodeFactory.instance.objectNode().put("filename", name)
                        .put("mime_type", mime), "an attachment larger than mehery.http.max-media, not kept: " + name);
            }
            return MeheryMessage.file(MeheryMessage.mediaTypeOf(mime), new Media(null, name, null, null, mime,
                    Digests.sha256Hex(bytes)), bytes);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the attachment " + name, e);
        }
    }

    /** The Message-ID the mail answers: In-Reply-To, else the last of References (RFC 5322, 3.6.4). */
    private static String repliedTo(String inReplyTo, String references) {
        String ids = inReplyTo != null && !inReplyTo.isBlank() ? inReplyTo : references;
        if (ids == null || ids.isBlank()) {
            return null;
        }
        String[] each = ids.trim().split("\\s+");
        return each[each.length - 1];
    }

    private static InternetAddress parse(String from) {
        try {
            return new InternetAddress(from == null ? "" : from, false);
        } catch (AddressException e) {
            throw new IllegalArgumentException("a mail without a sender address: " + Map.of("From", from));
        }
    }
}
