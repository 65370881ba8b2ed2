package io.mehery.gateway.media;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;

/** How a channel's received files are fetched for GET /api/v1/media/{id}: one per channel, in its own folder. */
public interface MediaFetcher {

    Set<ChannelType> channelTypes();

    /**
     * The file of a received message, from its stored part (the provider's media id or link).
     *
     * @param messageId the gateway's id of the message, for files the gateway keeps itself
     */
    ProviderFile fetch(Channel channel, String messageId, JsonNode part);
}
