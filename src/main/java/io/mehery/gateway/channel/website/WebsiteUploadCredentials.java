package io.mehery.gateway.channel.website;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.security.Channels;
import io.mehery.gateway.web.HeaderCredentials;

/**
 * A visitor's upload ({@code POST /webhooks/website/{channelId}/files}) is read only for a visitor this channel issued
 * a token to: a stranger's five megabytes are refused from the headers, unread.
 */
@Component
public class WebsiteUploadCredentials implements HeaderCredentials {

    private static final Pattern UPLOAD = Pattern.compile("/webhooks/website/([^/]+)/files");

    private final Channels channels;
    private final VisitorTokens tokens;

    public WebsiteUploadCredentials(Channels channels, VisitorTokens tokens) {
        this.channels = channels;
        this.tokens = tokens;
    }

    @Override
    public boolean guards(String path) {
        return UPLOAD.matcher(path).matches();
    }

    @Override
    public void check(String path, HttpServletRequest request) {
        Matcher upload = UPLOAD.matcher(path);
        if (upload.matches()) {
            String channelId = upload.group(1);
            tokens.require(channelId, channels.ofType(channelId, ChannelType.WEBSITE), request.getHeader("Authorization"));
        }
    }
}
