package io.mehery.gateway.media;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.ApiRequestGate;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.config.RouteProperties;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MediaFileStore;
import io.mehery.gateway.store.MessageStore;

/**
 * GET /api/v1/media/{id}: the file of a received media message, fetched from its provider with the channel's
 * credentials (WhatsApp: the Graph media URL with the access token; Telegram: getFile; Twilio: the MediaUrl with
 * basic auth; Messenger/Instagram: the attachment URL; e-mail: the attachment kept when the mail arrived) and
 * checked against the sha256 where known.
 * The id is the message's; another tenant's message is unknown.
 */
@Component("mediaFiles")
public class MediaFiles {

    private final MessageStore messages;
    private final MediaFileStore files;
    private final MediaLinks mediaLinks;
    private final MeheryProperties properties;
    private final ObjectMapper json;
    private final HttpClient http;
    private final long maxBytes;

    public MediaFiles(MessageStore messages, MediaFileStore files, MediaLinks mediaLinks, MeheryProperties properties,
            ObjectMapper json, @Value("${mehery.providers.timeout:20s}") Duration timeout) {
        this.files = files;
        this.mediaLinks = mediaLinks;
        this.messages = messages;
        this.properties = properties;
        this.json = json;
        this.maxBytes = properties.http().maxMedia().toBytes();
        // provider file URLs redirect to their storage (Twilio to S3): those redirects are followed
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public void fetch(@ExchangeProperty(RouteProperties.TENANT) String tenantId, @Header("id") String id,
            Exchange exchange) {
        MessageRecord message = messages.find(id).filter(m -> m.tenantId().equals(tenantId))
                .orElseThrow(() -> notFound(id));
        JsonNode part = parse(message.content());
        String mediaId = part.path("id").asText(null);
        String link = part.path("link").asText(null);
        Channel channel = properties.channels().get(message.channelId());
        if (channel == null || !mediaLinks.of(message).isPresent()) {
            // the sandbox's links are its users' own: the gateway does not fetch them for anyone
            throw notFound(id);
        }
        Fetched file = switch (channel.type()) {
            case WHATSAPP -> whatsApp(channel, mediaId);
            case TELEGRAM -> telegram(channel, mediaId);
            case SMS -> get(link, basic(channel.accountSid(), channel.authToken()));
            case FACEBOOK, INSTAGRAM -> get(link, null);
            case EMAIL -> new Fetched(files.find(id).orElseThrow(() -> notFound(id)), "application/octet-stream");
            default -> throw notFound(id);
        };
        String sha256 = part.path("sha256").asText(null);
        if (sha256 != null && !sha256.isBlank() && !matches(sha256, file.bytes())) {
            throw upstream("The file does not match the sha256 the provider gave for it");
        }
        var out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.CONTENT_TYPE, part.path("mime_type").asText(file.contentType()));
        out.setBody(file.bytes());
    }

    private Fetched whatsApp(Channel channel, String mediaId) {
        String bearer = "Bearer " + channel.accessToken();
        JsonNode located = parse(new String(get(channel.baseUrl() + "/" + mediaId, bearer).bytes(),
                StandardCharsets.UTF_8));
        return get(located.path("url").asText(), bearer);
    }

    private Fetched telegram(Channel channel, String fileId) {
        String bot = channel.baseUrl() + "/bot" + channel.botToken();
        JsonNode file = parse(new String(get(bot + "/getFile?file_id=" + fileId, null).bytes(),
                StandardCharsets.UTF_8));
        return get(channel.baseUrl() + "/file/bot" + channel.botToken() + "/" + file.at("/result/file_path").asText(),
                null);
    }

    private Fetched get(String url, String authorization) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw upstream("The provider answered " + response.statusCode() + " for the file");
            }
            if (response.body().length > maxBytes) {
                throw upstream("The file is larger than mehery.http.max-media");
            }
            return new Fetched(response.body(), response.headers().firstValue("Content-Type")
                    .orElse("application/octet-stream"));
        } catch (IOException | IllegalArgumentException e) {
            throw upstream("The provider could not be reached for the file");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw upstream("Interrupted while fetching the file");
        }
    }

    private static boolean matches(String sha256, byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return MessageDigest.isEqual(HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII),
                    sha256.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))
                    || MessageDigest.isEqual(Base64.getEncoder().encodeToString(digest)
                            .getBytes(StandardCharsets.US_ASCII), sha256.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode parse(String text) {
        try {
            return text == null ? json.createObjectNode() : json.readTree(text);
        } catch (IOException e) {
            throw upstream("The provider's answer is not JSON");
        }
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("MEDIA_NOT_FOUND", "id", "No media message '" + id + "' for this tenant");
    }

    private static ApiException upstream(String why) {
        return new ApiException(502, List.of(Problem.of("MEDIA_UNAVAILABLE", "id", why)));
    }

    record Fetched(byte[] bytes, String contentType) {
    }
}
