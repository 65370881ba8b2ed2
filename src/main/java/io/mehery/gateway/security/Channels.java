package io.mehery.gateway.security;

import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;

/** The configured channels, handed out only to the tenant that owns them. */
@Component("channels")
public class Channels {

    private final LiveConfiguration live;

    public Channels(LiveConfiguration live) {
        this.live = live;
    }

    /**
     * The tenant's channel of that id. Another tenant's channel answers exactly like an unknown one, so a
     * tenant cannot learn which channel ids exist elsewhere.
     */
    public Channel owned(String tenantId, String channelId, String field) {
        Channel channel = channelId == null ? null : live.channels().get(channelId);
        if (channel == null || !channel.tenant().equals(tenantId)) {
            throw ApiException.notFound("CHANNEL_NOT_FOUND", field, "No channel '" + channelId + "' for this tenant");
        }
        return channel;
    }

    /** As {@link #owned}, and the channel must be of the given type. */
    public Channel owned(String tenantId, String channelId, ChannelType type, String field) {
        Channel channel = owned(tenantId, channelId, field);
        if (channel.type() != type) {
            throw ApiException.notFound("CHANNEL_NOT_FOUND", field,
                    "Channel '" + channelId + "' is not a " + type + " channel");
        }
        return channel;
    }

    /**
     * The channel a provider's webhook names: it must exist and be of the provider's type. The provider's own
     * verification (signature, secret token) then proves the call came from it.
     */
    public Channel ofType(String channelId, ChannelType type) {
        Channel channel = channelId == null ? null : live.channels().get(channelId);
        if (channel == null || channel.type() != type) {
            throw ApiException.notFound("CHANNEL_NOT_FOUND", "channelId",
                    "No " + type + " channel '" + channelId + "'");
        }
        return channel;
    }
}
