package io.mehery.gateway.channel.website;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;

import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;

/**
 * Which pages may use a website channel's widget API and live socket: those of the channel's
 * {@code allowed-origins}, and the gateway's own (its demo page), as the browser names them in {@code Origin}.
 */
@Component
public class WebchatOrigins {

    private final LiveConfiguration live;

    public WebchatOrigins(LiveConfiguration live) {
        this.live = live;
    }

    /** The website channel a path of the widget's API or socket names ({@code /webhooks/website/<id>/...}). */
    public Optional<Channel> channelOf(String path) {
        String[] segments = path.split("/");
        if (segments.length < 4 || !segments[1].equals("webhooks") || !segments[2].equals("website")) {
            return Optional.empty();
        }
        return Optional.ofNullable(live.channels().get(segments[3]))
                .filter(channel -> channel.type() == ChannelType.WEBSITE);
    }

    /** @param host the request's Host header: a page of the gateway itself calls with its own origin */
    public boolean allows(Channel channel, String origin, String host) {
        if (origin == null) {
            return false;
        }
        String normalized = normalize(origin);
        if (host != null && authorityOf(normalized).filter(host.toLowerCase(Locale.ROOT)::equals).isPresent()) {
            return true;
        }
        return channel.allowedOrigins().stream().map(WebchatOrigins::normalize).anyMatch(normalized::equals);
    }

    private static Optional<String> authorityOf(String origin) {
        try {
            return Optional.ofNullable(URI.create(origin).getRawAuthority());
        } catch (IllegalArgumentException notAnOrigin) {
            return Optional.empty();
        }
    }

    private static String normalize(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
