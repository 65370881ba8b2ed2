package io.mehery.gateway.media;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.config.MeheryProperties;

/**
 * GETs a provider's file. A link in a provider's event is the provider's word only as far as its signature goes, so
 * a link is followed only to the channel's own {@code base-url} host (the operator's choice, through the
 * {@code provider:} HTTP client) or to the provider's file hosts ({@link ChannelType#fileHosts()}), and those through
 * the {@code media:} client, whose address guard refuses loopback, private and link-local addresses (resolved once,
 * connected to the checked address). A file host's redirect to its storage (Twilio's MediaUrl to its CDN) is followed
 * here under the same rules, up to three times, never from https down to http; the provider's credentials go to its
 * own hosts only, and never once a redirect changes the host. No header of the gateway's own goes out.
 */
@Component
public class ProviderFiles {

    private static final String PROVIDER = "provider://media?throwExceptionOnFailure=false";
    private static final String GUARDED = "media://files?throwExceptionOnFailure=false";
    private static final int MAX_REDIRECTS = 3;

    private final ProducerTemplate camel;
    private final ObjectMapper json;
    private final long maxBytes;

    public ProviderFiles(ProducerTemplate camel, ObjectMapper json, MeheryProperties properties) {
        this.camel = camel;
        this.json = json;
        this.maxBytes = properties.http().maxMedia().toBytes();
    }

    /**
     * @param authorization the provider's Authorization header for a URL of its own hosts (computed only once the URL
     *                      is known to be one), or null
     */
    public ProviderFile get(Channel channel, String url, UnaryOperator<String> authorization) {
        URI at = absolute(null, url);
        boolean credentialed = true;
        for (int redirects = 0; ; redirects++) {
            boolean own = isBaseHost(channel, at);
            if (!own && !isFileHost(channel.type(), at)) {
                throw unavailable("The provider's link points at a host that is not one of its file hosts");
            }
            String target = at.toString();
            String auth = credentialed ? authorization.apply(target) : null;
            Exchange answer = camel.request(own ? PROVIDER : GUARDED, exchange -> {
                exchange.getMessage().removeHeaders("*");
                exchange.getMessage().setHeader(Exchange.HTTP_URI, target);
                exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
                if (auth != null) {
                    exchange.getMessage().setHeader("Authorization", auth);
                }
            });
            if (answer.getException() != null) {
                throw unavailable("The provider could not be reached for the file");
            }
            int status = answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            String location = answer.getMessage().getHeader("Location", String.class);
            if (status / 100 == 3 && location != null && redirects < MAX_REDIRECTS) {
                URI next = absolute(at, location);
                if (!"https".equals(next.getScheme()) && !next.getScheme().equals(at.getScheme())) {
                    throw unavailable("The provider redirected the file to a scheme it does not trust");
                }
                if (!next.getHost().toLowerCase(Locale.ROOT).equals(at.getHost().toLowerCase(Locale.ROOT))) {
                    credentialed = false;
                }
                at = next;
                continue;
            }
            if (status / 100 != 2) {
                throw unavailable("The provider answered " + status + " for the file");
            }
            byte[] bytes = answer.getMessage().getBody(byte[].class);
            if (bytes != null && bytes.length > maxBytes) {
                throw unavailable("The file is larger than mehery.http.max-media");
            }
            return new ProviderFile(bytes == null ? new byte[0] : bytes, answer.getMessage()
                    .getHeader(Exchange.CONTENT_TYPE, "application/octet-stream", String.class));
        }
    }

    /** The file's URL (a redirect's resolved against the URL it came from); 502 when it is none. */
    private static URI absolute(URI from, String link) {
        URI uri;
        try {
            uri = link == null ? null : from == null ? new URI(link) : from.resolve(link);
        } catch (URISyntaxException | IllegalArgumentException notUrl) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"))) {
            throw unavailable("The provider's link to the file is not an http(s) URL");
        }
        return uri;
    }

    /** The channel's own API host and port, as the operator configured it. */
    private static boolean isBaseHost(Channel channel, URI at) {
        if (channel.baseUrl() == null) {
            return false;
        }
        URI base = URI.create(channel.baseUrl());
        return at.getHost().equalsIgnoreCase(base.getHost()) && portOf(at) == portOf(base);
    }

    private static boolean isFileHost(ChannelType type, URI at) {
        String host = at.getHost().toLowerCase(Locale.ROOT);
        return type.fileHosts().stream().anyMatch(fileHost -> host.equals(fileHost) || host.endsWith("." + fileHost));
    }

    private static int portOf(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The same Authorization header for every URL of the provider's (a bearer token, Basic credentials). */
    public static UnaryOperator<String> always(String authorization) {
        return url -> authorization;
    }

    /** A provider's JSON answer (a media lookup before the file itself). */
    public JsonNode getJson(Channel channel, String url, UnaryOperator<String> authorization) {
        try {
            return json.readTree(new String(get(channel, url, authorization).bytes(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw unavailable("The provider's answer is not JSON");
        }
    }

    public static ApiException unavailable(String why) {
        return new ApiException(502, List.of(Problem.of("MEDIA_UNAVAILABLE", "id", why)));
    }
}
