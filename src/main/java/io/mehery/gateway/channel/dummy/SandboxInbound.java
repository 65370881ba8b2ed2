package io.mehery.gateway.channel.dummy;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.SandboxMessage;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.conversation.Accepted;
import io.mehery.gateway.conversation.InboundMessages;
import io.mehery.gateway.conversation.MeheryMessage;
import io.mehery.gateway.security.Channels;

/**
 * The sandbox channel's inbound side: a message as a sandbox user would send it, already in the Mehery shape,
 * posted by the tenant itself (its x-api-key stands in for a provider's signature).
 */
@Component("sandboxInbound")
public class SandboxInbound {

    private final Channels channels;
    private final InboundMessages inbound;

    public SandboxInbound(Channels channels, InboundMessages inbound) {
        this.channels = channels;
        this.inbound = inbound;
    }

    public Accepted receive(@ExchangeProperty(RouteProperties.TENANT) String tenantId,
            @Header("channelId") String channelId, @Body SandboxMessage message) {
        Channel channel = channels.owned(tenantId, channelId, ChannelType.DUMMY, "channelId");
        String type = message.type().json();
        MeheryMessage mehery = switch (message.type()) {
            case TEXT -> {
                ApiException.require(message.text() != null, type);
                yield MeheryMessage.text(message.text().body());
            }
            case LOCATION -> {
                ApiException.require(message.location() != null, type);
                yield MeheryMessage.location(message.location());
            }
            default -> {
                ApiException.require(message.media() != null, type);
                yield MeheryMessage.media(type, message.media());
            }
        };
        return inbound.receive(channelId, channel, message.from().trim(), message.name(), message.id(),
                message.action() == null ? mehery : mehery.withAction(message.action().actionCode()));
    }
}
