package io.mehery.gateway.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.security.Digests;
import io.mehery.gateway.store.MessageRecord;
import io.mehery.gateway.store.MessageStore;

/**
 * GET /api/v1/media/{id}: the file of a received media message, fetched by its channel's MediaFetcher with the
 * channel's credentials (or read from the gateway's own copy) and checked against the sha256 where known. The id
 * is the message's; another tenant's message is unknown.
 */
@Component("mediaFiles")
public class MediaFiles {

    private static final java.util.Set<String> INERT_TYPES = java.util.Set.of("application/pdf", "text/plain",
            "text/csv", "application/zip", "application/octet-stream", "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel");

    private final MessageStore messages;
    private final MediaLinks links;
    private final LiveConfiguration live;
    private final ObjectMapper json;
    private final Map<ChannelType, MediaFetcher> fetchers = new EnumMap<>(ChannelType.class);

    public MediaFiles(MessageStore messages, MediaLinks links, LiveConfiguration live, ObjectMapper json,
            List<MediaFetcher> fetchers) {
        this.messages = messages;
        this.links = links;
        this.live = live;
        this.json = json;
        fetchers.forEach(fetcher -> fetcher.channelTypes().forEach(type -> this.fetchers.put(type, fetcher)));
    }

    public void fetch(@ExchangeProperty(RouteProperties.TENANT) String tenantId, @Header("id") String id,
            Exchange exchange) {
        MessageRecord message = messages.find(id).filter(m -> m.tenantId().equals(tenantId))
                .orElseThrow(() -> notFound(id));
        Channel channel = live.channels().get(message.channelId());
        MediaFetcher fetcher = channel == null ? null : fetchers.get(channel.type());
        if (fetcher == null || links.of(message).isEmpty()) {
            // the sandbox's links are its users' own: the gateway does not fetch them for anyone
            throw notFound(id);
        }
        JsonNode part = parse(message.content());
        ProviderFile file = fetcher.fetch(channel, id, part);
        String sha256 = part.path("sha256").asText(null);
        if (sha256 != null && !sha256.isBlank() && !matches(sha256, file.bytes())) {
            throw ProviderFiles.unavailable("The file does not match the sha256 the provider gave for it");
        }
        var out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.CONTENT_TYPE, shownType(part.path("mime_type").asText(file.contentType())));
        // a user's file, whatever the provider called it: saved, never rendered or sniffed into a page of ours
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setHeader("Content-Security-Policy", "sandbox; default-src 'none'");
        out.setHeader("Content-Disposition", "attachment; filename=\"" + fileNameOf(part, id) + "\"");
        out.setBody(file.bytes());
    }

    /** The file's type when it is one a browser only displays; anything it could run (HTML, SVG, XML) is bytes. */
    static String shownType(String claimed) {
        String type = claimed == null ? "" : claimed.split(";")[0].trim().toLowerCase(Locale.ROOT);
        boolean inert = (type.startsWith("image/") && !type.contains("svg")) || type.startsWith("audio/")
                || type.startsWith("video/") || INERT_TYPES.contains(type);
        return inert ? type : "application/octet-stream";
    }

    /** The provider's file name, reduced to characters a header carries plainly; else the message id. */
    private static String fileNameOf(JsonNode part, String id) {
        String name = part.path("filename").asText("").replaceAll("[^A-Za-z0-9._ -]", "_").strip();
        return name.isEmpty() ? id : name.length() > 100 ? name.substring(name.length() - 100) : name;
    }

    private static boolean matches(String sha256, byte[] bytes) {
        byte[] digest = Digests.sha256(bytes);
        return MessageDigest.isEqual(HexFormat.of().formatHex(digest).getBytes(StandardCharsets.US_ASCII),
                sha256.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))
                || MessageDigest.isEqual(Base64.getEncoder().encodeToString(digest)
                        .getBytes(StandardCharsets.US_ASCII), sha256.getBytes(StandardCharsets.US_ASCII));
    }

    private JsonNode parse(String text) {
        try {
            return text == null ? json.createObjectNode() : json.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("Stored message content is not JSON", e);
        }
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("MEDIA_NOT_FOUND", "id", "No media message '" + id + "' for this tenant");
    }
}
