package io.mehery.gateway.media;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.config.MeheryProperties;

/**
 * GETs a provider's file through the {@code provider:} HTTP client (its pool, its timeouts, no redirects of its
 * own). A file host's redirect to its storage (Twilio's MediaUrl to S3) is followed here, up to three times, never
 * from https down to http, and without the provider's credentials once the host changes.
 */
@Component
public class ProviderFiles {

    private static final String PROVIDER = "provider://media?throwExceptionOnFailure=false";
    private static final int MAX_REDIRECTS = 3;

    private final ProducerTemplate camel;
    private final ObjectMapper json;
    private final long maxBytes;

    public ProviderFiles(ProducerTemplate camel, ObjectMapper json, MeheryProperties properties) {
        this.camel = camel;
        this.json = json;
        this.maxBytes = properties.http().maxMedia().toBytes();
    }

    public ProviderFile get(String url, String authorization) {
        URI at = absolute(null, url);
        String credentials = authorization;
        for (int redirects = 0; ; redirects++) {
            String target = at.toString();
            String auth = credentials;
            Exchange answer = camel.request(PROVIDER, exchange -> {
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
                    credentials = null;
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
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            throw unavailable("The provider's link to the file is not a URL");
        }
        return uri;
    }

    /** A provider's JSON answer (a media lookup before the file itself). */
    public JsonNode getJson(String url, String authorization) {
        try {
            return json.readTree(new String(get(url, authorization).bytes(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw unavailable("The provider's answer is not JSON");
        }
    }

    public static ApiException unavailable(String why) {
        return new ApiException(502, List.of(Problem.of("MEDIA_UNAVAILABLE", "id", why)));
    }
}
