package io.mehery.gateway.media;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.stereotype.Component;

import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.provider.ProviderCalls;
import io.mehery.gateway.security.WebhookTargets;

/**
 * The file behind the link of a media part the client sends, for channels whose provider takes the file itself
 * (an e-mail attachment, an upload to X) rather than the link. A link inside the gateway's network is refused like
 * a webhook. A link that answers 5xx or 429, or not at all, is tried again later (the outbound queue hands the
 * message over again); any other answer, or a file larger than {@code mehery.http.max-media}, fails the message.
 */
@Component
public class LinkedFiles {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final boolean allowPrivateTargets;
    private final long maxBytes;

    public LinkedFiles(MeheryProperties properties) {
        this.allowPrivateTargets = properties.webhooks().allowPrivateTargets();
        this.maxBytes = properties.http().maxMedia().toBytes();
    }

    /** A fetched file with the name it goes by: the part's filename, else the last segment of its link. */
    public record LinkedFile(String name, ProviderFile file) {
    }

    public LinkedFile fetch(Media media) {
        URI link = URI.create(media.link());
        WebhookTargets.requirePublicHost(link.getHost(), allowPrivateTargets);
        try {
            HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(link).timeout(Duration.ofSeconds(60)).GET()
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            if (file.statusCode() >= 500 || file.statusCode() == 429) {
                throw new ProviderCalls.ProviderUnavailableException("the file at " + link + " answered "
                        + file.statusCode() + "; fetching it again later");
            }
            if (file.statusCode() / 100 != 2 || file.body().length > maxBytes) {
                throw new IllegalStateException("the file at " + link + " answered " + file.statusCode()
                        + " with " + file.body().length + " bytes");
            }
            String mime = file.headers().firstValue("Content-Type").orElse("application/octet-stream");
            String name = media.filename() != null ? media.filename()
                    : link.getPath().substring(link.getPath().lastIndexOf('/') + 1);
            return new LinkedFile(name.isEmpty() ? "attachment" : name, new ProviderFile(file.body(), mime));
        } catch (IOException e) {
            throw new ProviderCalls.ProviderUnavailableException("the file at " + link + " could not be fetched ("
                    + e + "); fetching it again later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + link, e);
        }
    }
}
