package io.mehery.gateway.provider;

import java.util.Locale;

import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.api.model.MessageType;
import io.mehery.gateway.api.model.Text;
import io.mehery.gateway.config.ChannelType;

/**
 * The outbound queue's message: the stored message's id and the request with its real, unmasked content;
 * {@code providerTurnAt} the turn (epoch microseconds) it holds among its channel's provider calls when it was sent
 * back to wait for it (a channel with a max-rate), else null.
 */
public record OutboundDispatch(
        String messageId,
        String tenantId,
        String channelId,
        ChannelType channelType,
        String sessionId,
        String contactId,
        MessageSendRequest message,
        Long providerTurnAt) {

    public OutboundDispatch(String messageId, String tenantId, String channelId, ChannelType channelType,
            String sessionId, String contactId, MessageSendRequest message) {
        this(messageId, tenantId, channelId, channelType, sessionId, contactId, message, null);
    }

    /** The same dispatch, holding its channel's provider turn at {@code turnAt}. */
    public OutboundDispatch holdingTurn(long turnAt) {
        return new OutboundDispatch(messageId, tenantId, channelId, channelType, sessionId, contactId, message,
                turnAt);
    }

    /** The id of the route that sends on channels of this type; the outbound queue's consumer hands over to it. */
    public static String routeIdFor(ChannelType type) {
        return "outbound-" + type.name().toLowerCase(Locale.ROOT);
    }

    /** The same message's follow-up text (a caption its provider takes only as a message of its own). */
    public OutboundDispatch followingText(String text) {
        MessageSendRequest send = new MessageSendRequest(message.channelId(), message.mask(), message.to(),
                MessageType.TEXT, new Text(text, null), null, null, null, null, null, null, null, null);
        return new OutboundDispatch(messageId, tenantId, channelId, channelType, sessionId, contactId, send);
    }

    public String route() {
        return routeIdFor(channelType);
    }
}
