package io.mehery.gateway.channel.email;

import java.time.Clock;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.channel.ProviderCalls;
import io.mehery.gateway.channel.TemplateTexts;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.conversation.OutboundDispatch;
import io.mehery.gateway.store.MessageStore;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.SendFailedException;

/**
 * message/send on an e-mail channel: a plain-text mail over the channel's {@code smtp-url} (camel-mail), with
 * its own Message-ID kept as the provider id so that replies can be threaded. Media go as their link, with caption.
 */
@Component("emailOutbound")
public class EmailOutbound {

    static final String SMTP_URL = "smtpUrl";

    private final MeheryProperties properties;
    private final TemplateTexts templates;
    private final ProviderCalls providerCalls;
    private final MessageStore messages;
    private final Clock clock;

    public EmailOutbound(MeheryProperties properties, TemplateTexts templates, ProviderCalls providerCalls,
            MessageStore messages, Clock clock) {
        this.properties = properties;
        this.templates = templates;
        this.providerCalls = providerCalls;
        this.messages = messages;
        this.clock = clock;
    }

    public void toMail(Exchange exchange) {
        OutboundDispatch dispatch = exchange.getProperty(ProviderCalls.DISPATCH, OutboundDispatch.class);
        Channel channel = properties.channels().get(dispatch.channelId());
        MessageSendRequest request = dispatch.message();
        String text = switch (request.type()) {
            case TEXT -> request.text().body();
            case TEMPLATE -> templates.render(request.template());
            case IMAGE, AUDIO, VOICE, VIDEO, DOCUMENT -> mediaText(request.media());
            default -> throw new IllegalArgumentException("e-mail does not carry " + request.type().json());
        };
        var message = exchange.getMessage();
        message.setHeader("To", request.to().email());
        message.setHeader("From", channel.from() != null ? channel.from() : channel.lane());
        message.setHeader("Subject", subjectOf(text));
        message.setHeader("Message-ID", messageIdOf(dispatch));
        message.setHeader("contentType", "text/plain; charset=UTF-8");
        message.setBody(text);
        exchange.setProperty(SMTP_URL, channel.smtpUrl());
    }

    @Transactional
    public void outcome(@ExchangeProperty(ProviderCalls.DISPATCH) OutboundDispatch dispatch,
            @ExchangeProperty(ProviderCalls.DELIVERY_COUNT) Integer deliveryCount, Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            messages.advance(dispatch.messageId(), "SENT", messageIdOf(dispatch), clock.millis());
            return;
        }
        boolean permanent = causedBy(failure, AuthenticationFailedException.class)
                || causedBy(failure, SendFailedException.class);
        providerCalls.failed(dispatch, deliveryCount, "SMTP: " + failure.getMessage(), !permanent);
    }

    static String messageIdOf(OutboundDispatch dispatch) {
        return "<" + dispatch.messageId() + "@mehery.gateway>";
    }

    private static String mediaText(Media media) {
        return (media.caption() == null ? "" : media.caption() + "\n\n") + media.link();
    }

    private static String subjectOf(String text) {
        String firstLine = text.strip().lines().findFirst().orElse("");
        return firstLine.length() <= 78 ? firstLine : firstLine.substring(0, 75) + "...";
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
