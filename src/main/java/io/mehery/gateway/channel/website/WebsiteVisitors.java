package io.mehery.gateway.channel.website;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.channel.website.VisitorTokens.Issued;
import io.mehery.gateway.channel.website.VisitorTokens.Visitor;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.security.Channels;

/**
 * The website channel's door: a visit begins with a visitor token (POST .../visitors), and every other request of
 * the widget is let in by its token (the verify step), which names the visitor, and the address it came from, for the
 * steps after it. New anonymous visitors are limited per address, so that minting visitors does not get round the
 * limit of messages per visitor.
 */
@Component("websiteVisitors")
public class WebsiteVisitors {

    private final Channels channels;
    private final VisitorTokens tokens;
    private final long pollIntervalMillis;
    private final WebchatLimits limits;

    public WebsiteVisitors(Channels channels, VisitorTokens tokens, MeheryProperties properties,
            WebchatLimits limits) {
        this.channels = channels;
        this.tokens = tokens;
        this.limits = limits;
        this.pollIntervalMillis = properties.webchat().pollInterval().toMillis();
    }

    /**
     * A visit: the host site's user when it sends {@code userId} and {@code userHash}; else the visitor of the
     * {@code token} the widget kept, renewed; else a new anonymous visitor. A kept token that no longer holds
     * (expired, or the secret changed) starts a new visitor rather than failing the widget. The answer carries a
     * credential: it goes straight to the envelope, never through the log of accepted requests.
     */
    public Map<String, Object> visit(@Header("channelId") String channelId, @Body JsonNode request,
            @Header(Exchange.HTTP_SERVLET_REQUEST) HttpServletRequest http) {
        Channel channel = channels.ofType(channelId, ChannelType.WEBSITE);
        String userId = text(request, "userId");
        Issued issued;
        if (userId != null || text(request, "userHash") != null) {
            issued = tokens.identified(channelId, channel, userId, text(request, "userHash"), text(request, "name"));
        } else {
            issued = tokens.read(channelId, channel, text(request, "token"))
                    .filter(kept -> !kept.identified())
                    .map(kept -> tokens.renew(channel, kept))
                    .orElseGet(() -> {
                        limits.admitVisitor(channelId, sourceOf(http));
                        return tokens.anonymous(channelId, channel);
                    });
        }
        Map<String, Object> visit = new LinkedHashMap<>();
        visit.put("visitorId", issued.visitor().address());
        visit.put("token", issued.token());
        visit.put("expiresAt", issued.expiresAt());
        visit.put("pollInterval", pollIntervalMillis);
        return visit;
    }

    /** The verify step: the request's bearer token is one this channel issued; the visitor it names goes on. */
    public void verify(@Header("channelId") String channelId, @Header("Authorization") String authorization,
            Exchange exchange) {
        Channel channel = channels.ofType(channelId, ChannelType.WEBSITE);
        Visitor visitor = tokens.require(channelId, channel, authorization);
        exchange.setProperty(RouteProperties.VISITOR, visitor);
        exchange.setProperty(RouteProperties.VISITOR_SOURCE, sourceOf(exchange.getMessage()
                .getHeader(Exchange.HTTP_SERVLET_REQUEST, HttpServletRequest.class)));
    }

    private static String sourceOf(HttpServletRequest http) {
        return http == null ? "unknown" : http.getRemoteAddr();
    }

    private static String text(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
