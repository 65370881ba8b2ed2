package io.mehery.gateway.channel.telegram;

import org.apache.camel.Exchange;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.api.model.ContactCard;
import io.mehery.gateway.api.model.Location;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.api.model.MessageType;
import io.mehery.gateway.config.ChannelType;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.media.LinkedFiles;
import io.mehery.gateway.provider.OutboundDispatch;
import io.mehery.gateway.provider.ProviderLimits;
import io.mehery.gateway.provider.ProviderRequests;
import io.mehery.gateway.provider.TemplateTexts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * message/send on a Telegram channel as a Bot API call, {@code POST {base-url}/bot{bot-token}/<method>}: text,
 * media by link with caption (a document with a filename uploaded under that name), location, the first contact
 * card, and templates rendered to text.
 */
@Component("telegramOutbound")
public class TelegramOutbound implements ProviderLimits {

    private final LiveConfiguration live;
    private final TemplateTexts templates;
    private final ObjectMapper json;
    private final LinkedFiles linkedFiles;
    private static final ContentType TEXT = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);

    public TelegramOutbound(LiveConfiguration live, TemplateTexts templates, ObjectMapper json,
            LinkedFiles linkedFiles) {
        this.linkedFiles = linkedFiles;
        this.live = live;
        this.templates = templates;
        this.json = json;
    }

    @Override
    public Set<ChannelType> channelTypes() {
        return Set.of(ChannelType.TELEGRAM);
    }

    /** One contact card per message. */
    @Override
    public void refuseWhatIsNotCarried(MessageSendRequest request) {
        ProviderLimits.refuseIf(request.contacts() != null && request.contacts().size() > 1, "contacts[1]",
                "Telegram sends one contact card per message; send each card as its own message");
    }

    public void toRequest(Exchange exchange) {
        OutboundDispatch dispatch = exchange.getProperty(RouteProperties.DISPATCH, OutboundDispatch.class);
        Channel channel = live.channels().get(dispatch.channelId());
        MessageSendRequest request = dispatch.message();
        if (request.type() == MessageType.DOCUMENT && request.media().filename() != null) {
            upload(exchange, channel, request);
            return;
        }
        ObjectNode body = json.createObjectNode().put("chat_id", request.to().phone());
        String method = switch (request.type()) {
            case TEXT -> text(body, request.text().body());
            case TEMPLATE -> text(body, templates.render(request.template()));
            case IMAGE -> media(body, "photo", request.media());
            case AUDIO -> media(body, "audio", request.media());
            case VOICE -> media(body, "voice", request.media());
            case VIDEO -> media(body, "video", request.media());
            case DOCUMENT -> media(body, "document", request.media());
            case LOCATION -> location(body, request.location());
            case CONTACTS -> contact(body, request.contacts().get(0));
            default -> throw new IllegalArgumentException("Telegram does not carry " + request.type().json());
        };
        ProviderRequests.post(exchange.getMessage(), botApi(channel) + "/" + method, "application/json", null,
                body.toString());
    }

    /**
     * A document with a name of its own: Telegram names a file it fetches by its link, so the gateway fetches it
     * and uploads it (multipart/form-data) under the name the client gave.
     */
    private void upload(Exchange exchange, Channel channel, MessageSendRequest request) {
        LinkedFiles.LinkedFile file = linkedFiles.fetch(request.media());
        // the name as browsers send it (UTF-8 as it is), which Telegram shows; not RFC 2231's filename*=
        MultipartEntityBuilder form = MultipartEntityBuilder.create().setMode(HttpMultipartMode.LEGACY)
                .setCharset(StandardCharsets.UTF_8)
                .addTextBody("chat_id", request.to().phone(), TEXT)
                .addBinaryBody("document", file.file().bytes(), ContentType.parse(file.file().contentType()),
                        file.name());
        if (request.media().caption() != null) {
            form.addTextBody("caption", request.media().caption(), TEXT);
        }
        HttpEntity entity = form.build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            entity.writeTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProviderRequests.post(exchange.getMessage(), botApi(channel) + "/sendDocument", entity.getContentType(),
                null, bytes.toByteArray());
    }

    /** The Bot API root of the channel's bot: {@code {base-url}/bot{bot-token}}. */
    static String botApi(Channel channel) {
        return channel.baseUrl() + "/bot" + channel.botToken();
    }

    private static String text(ObjectNode body, String text) {
        body.put("text", text);
        return "sendMessage";
    }

    private static String media(ObjectNode body, String field, Media media) {
        body.put(field, media.link());
        if (media.caption() != null) {
            body.put("caption", media.caption());
        }
        return "send" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
    }

    /** A named place is a venue (title and address); bare coordinates a location. */
    private static String location(ObjectNode body, Location location) {
        body.put("latitude", Double.parseDouble(location.latitude()));
        body.put("longitude", Double.parseDouble(location.longitude()));
        if (location.name() == null && location.address() == null) {
            return "sendLocation";
        }
        body.put("title", location.name() != null ? location.name() : location.address());
        body.put("address", location.address() != null ? location.address() : location.name());
        return "sendVenue";
    }

    private static String contact(ObjectNode body, ContactCard card) {
        body.put("phone_number", card.phones() == null || card.phones().isEmpty() ? "" : card.phones().get(0).phone());
        String first = card.name() == null ? null : card.name().firstName() != null ? card.name().firstName()
                : card.name().formattedName();
        body.put("first_name", first == null ? "" : first);
        if (card.name() != null && card.name().lastName() != null) {
            body.put("last_name", card.name().lastName());
        }
        boolean more = card.phones() != null && card.phones().size() > 1 || card.emails() != null
                && !card.emails().isEmpty() || card.org() != null;
        if (more) {
            body.put("vcard", vcard(card));
        }
        return "sendContact";
    }

    /** The whole card (every phone, e-mail and the organisation) as the vCard 3.0 Telegram shows with it. */
    private static String vcard(ContactCard card) {
        StringBuilder vcard = new StringBuilder("BEGIN:VCARD\nVERSION:3.0\n");
        if (card.name() != null) {
            String first = card.name().firstName() == null ? "" : card.name().firstName();
            String last = card.name().lastName() == null ? "" : card.name().lastName();
            String formatted = card.name().formattedName() != null ? card.name().formattedName()
                    : (first + " " + last).trim();
            vcard.append("FN:").append(formatted).append("\nN:").append(last).append(';').append(first).append('\n');
        }
        if (card.phones() != null) {
            card.phones().forEach(p -> vcard.append("TEL").append(p.type() == null ? "" : ";TYPE=" + p.type())
                    .append(':').append(p.phone()).append('\n'));
        }
        if (card.emails() != null) {
            card.emails().forEach(e -> vcard.append("EMAIL").append(e.type() == null ? "" : ";TYPE=" + e.type())
                    .append(':').append(e.email()).append('\n'));
        }
        if (card.org() != null) {
            if (card.org().company() != null) {
                vcard.append("ORG:").append(card.org().company()).append('\n');
            }
            if (card.org().title() != null) {
                vcard.append("TITLE:").append(card.org().title()).append('\n');
            }
        }
        return vcard.append("END:VCARD").toString();
    }
}
