package io.mehery.gateway.channel.email;

import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.model.Text;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.conversation.Accepted;
import io.mehery.gateway.conversation.InboundMessages;
import io.mehery.gateway.security.Channels;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * A mail fetched from an e-mail channel's mailbox: the sender's address is the contact, their display name its
 * name; the mail's Message-ID keeps a mailbox polled twice from storing it twice. Replies land in the sender's
 * session as long as it is open (mehery.sessions.idle-timeout), which threads a conversation by mail.
 */
@Component("emailInbound")
public class EmailInbound {

    public static final String CHANNEL = "mailboxChannelId";

    private final Channels channels;
    private final InboundMessages inbound;

    public EmailInbound(Channels channels, InboundMessages inbound) {
        this.channels = channels;
        this.inbound = inbound;
    }

    public Accepted receive(@ExchangeProperty(CHANNEL) String channelId, @Header("From") String from,
            @Header("Subject") String subject, @Header("Message-ID") String messageId, @Body String body) {
        Channel channel = channels.ofType(channelId, ChannelType.EMAIL);
        InternetAddress sender = parse(from);
        String text = (subject == null || subject.isBlank() ? "" : subject.strip() + "\n\n")
                + (body == null ? "" : body.strip());
        return inbound.receive(channelId, channel, sender.getAddress().toLowerCase(java.util.Locale.ROOT),
                sender.getPersonal(), "text", new Text(text, null), text, messageId, null);
    }

    private static InternetAddress parse(String from) {
        try {
            return new InternetAddress(from == null ? "" : from, false);
        } catch (AddressException e) {
            throw new IllegalArgumentException("a mail without a sender address: " + Map.of("From", from));
        }
    }
}
