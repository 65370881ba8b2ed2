package io.mehery.gateway.channel.email;

import java.time.Clock;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.attachment.AttachmentMessage;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.Refusal;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.media.LinkedFiles;
import io.mehery.gateway.provider.OutboundDispatch;
import io.mehery.gateway.provider.ProviderCalls;
import io.mehery.gateway.provider.TemplateTexts;

import jakarta.mail.AuthenticationFailedException;
import jakarta.activation.DataHandler;
import jakarta.mail.SendFailedException;
import jakarta.mail.util.ByteArrayDataSource;

/**
 * message/send on an e-mail channel: a plain-text mail over the channel's {@code smtp-url} (camel-mail), with
 * its own Message-ID kept as the provider id so that replies can be threaded. Media are fetched from their link
 * and attached, the caption as the text.
 */
@Component("emailOutbound")
public class EmailOutbound {

    private final LiveConfiguration live;
    private final TemplateTexts templates;
    private final ProviderCalls providerCalls;
    private final Clock clock;
    private final LinkedFiles linkedFiles;

    public EmailOutbound(LiveConfiguration live, TemplateTexts templates, ProviderCalls providerCalls,
            Clock clock, LinkedFiles linkedFiles) {
        this.live = live;
        this.templates = templates;
        this.providerCalls = providerCalls;
        this.clock = clock;
        this.linkedFiles = linkedFiles;
    }

    public void toRequest(Exchange exchange) {
        OutboundDispatch dispatch = exchange.getProperty(RouteProperties.DISPATCH, OutboundDispatch.class);
        Channel channel = live.channels().get(dispatch.channelId());
        MessageSendRequest request = dispatch.message();
        String text = switch (request.type()) {
            case TEXT -> request.text().body();
            case TEMPLATE -> templates.render(request.template());
            case IMAGE, AUDIO, VOICE, VIDEO, DOCUMENT -> {
                attach(exchange, request.media());
                yield request.media().caption() != null ? request.media().caption()
                        : request.media().filename() != null ? request.media().filename() : "Attachment";
            }
            default -> throw new IllegalArgumentException("e-mail does not carry " + request.type().json());
        };
        var message = exchange.getMessage();
        message.setHeader("To", request.to().email());
        message.setHeader("From", channel.from() != null ? channel.from() : channel.lane());
        message.setHeader("Subject", subjectOf(text));
        message.setHeader("Message-ID", messageIdOf(dispatch));
        message.setHeader("contentType", "text/plain; charset=UTF-8");
        message.setBody(text);
        exchange.setProperty(RouteProperties.SMTP_URL, channel.smtpUrl());
    }

    public void outcome(@ExchangeProperty(RouteProperties.DISPATCH) OutboundDispatch dispatch,
            @ExchangeProperty(RouteProperties.DELIVERY_COUNT) Integer deliveryCount, Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            providerCalls.sent(dispatch, messageIdOf(dispatch), clock.millis());
            return;
        }
        boolean permanent = causedBy(failure, AuthenticationFailedException.class)
                || causedBy(failure, SendFailedException.class) || causedBy(failure, Refusal.class);
        providerCalls.failed(dispatch, deliveryCount, "SMTP: " + failure.getMessage(), !permanent);
    }

    static String messageIdOf(OutboundDispatch dispatch) {
        return "<" + dispatch.messageId() + "@mehery.gateway>";
    }

    /** The file at the media's link, attached (see LinkedFiles for which links are fetched, and retried). */
    private void attach(Exchange exchange, Media media) {
        LinkedFiles.LinkedFile linked = linkedFiles.fetch(media);
        exchange.getMessage(AttachmentMessage.class).addAttachment(linked.name(), new DataHandler(
                new ByteArrayDataSource(linked.file().bytes(), linked.file().contentType())));
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
