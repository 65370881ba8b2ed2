package io.mehery.gateway.media;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.store.MessageRecord;

/**
 * The gateway's own link to a received file, {@code GET /api/v1/media/{messageId}}: what callbacks and session
 * history show for every channel whose files the gateway fetches (with the channel's credentials, so the client
 * needs none). A sandbox user's link is its own and is shown as given.
 */
@Component
public class MediaLinks {

    private static final Set<String> MEDIA_TYPES = Set.of("image", "audio", "voice", "video", "document");

    private final LiveConfiguration live;
    private final Set<ChannelType> served = EnumSet.noneOf(ChannelType.class);
    private final String base;

    /** @param fetchers the channels whose files the gateway fetches, each with its own MediaFetcher */
    public MediaLinks(MeheryProperties properties, LiveConfiguration live, List<MediaFetcher> fetchers) {
        this.live = live;
        fetchers.forEach(fetcher -> served.addAll(fetcher.channelTypes()));
        this.base = properties.http().publicUrl().replaceAll("/+$", "") + "/api/v1/media/";
    }

    public Optional<String> of(MessageRecord message) {
        var channel = live.channels().get(message.channelId());
        boolean fetched = channel != null && served.contains(channel.type()) && isMedia(message.type())
                && message.content() != null;
        return fetched ? Optional.of(base + message.id()) : Optional.empty();
    }

    public static boolean isMedia(String type) {
        return MEDIA_TYPES.contains(type);
    }
}
