package io.mehery.gateway.channel.whatsapp;

import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.model.Location;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.conversation.MeheryMessage;

/**
 * WhatsApp Cloud API messages in Mehery terms. A reply keeps the id of the message it answers ({@code context.id});
 * replies to buttons and lists carry an action; a kind without a Mehery counterpart (reactions, shared contacts,
 * orders, unsupported ones) becomes a {@code system} message carrying the provider's message, never dropped.
 */
final class WhatsAppMessages {

    private WhatsAppMessages() {
    }

    static MeheryMessage of(JsonNode message) {
        return mapped(message).replyingTo(message.at("/context/id").asText(null));
    }

    private static MeheryMessage mapped(JsonNode message) {
        String kind = message.path("type").asText();
        return switch (kind) {
            case "text" -> MeheryMessage.text(message.at("/text/body").asText());
            case "image", "video", "document" -> media(kind, message.path(kind));
            case "sticker" -> media("image", message.path("sticker")).modifiedFrom(message);
            case "audio" -> media(message.at("/audio/voice").asBoolean(false) ? "voice" : "audio",
                    message.path("audio"));
            case "location" -> location(message.path("location"));
            case "interactive" -> interactive(message);
            case "button" -> MeheryMessage.text(message.at("/button/text").asText())
                    .withAction(message.at("/button/payload").asText(null)).modifiedFrom(message);
            case "reaction" -> MeheryMessage.system(message, "reacted " + message.at("/reaction/emoji").asText("")
                    + " to " + message.at("/reaction/message_id").asText())
                    .replyingTo(message.at("/reaction/message_id").asText(null));
            case "contacts" -> MeheryMessage.system(message, "shared " + contactNames(message.path("contacts")));
            default -> MeheryMessage.system(message, kind.isEmpty() ? "a message of no type"
                    : "a message of type " + kind);
        };
    }

    /** An {@code edit} message: the edited message in Mehery terms, with the provider's edit as its original. */
    static MeheryMessage edited(JsonNode edit) {
        return mapped(edit.at("/edit/message")).modifiedFrom(edit);
    }

    private static MeheryMessage media(String type, JsonNode media) {
        return MeheryMessage.media(type, new Media(media.path("caption").asText(null),
                media.path("filename").asText(null), media.path("id").asText(null), null,
                media.path("mime_type").asText(null), media.path("sha256").asText(null)));
    }

    private static MeheryMessage location(JsonNode location) {
        return MeheryMessage.location(new Location(location.path("address").asText(null),
                location.path("latitude").asText(), location.path("longitude").asText(),
                location.path("name").asText(null)));
    }

    private static MeheryMessage interactive(JsonNode message) {
        JsonNode reply = message.at("/interactive/button_reply");
        if (reply.isMissingNode()) {
            reply = message.at("/interactive/list_reply");
        }
        if (reply.isMissingNode()) {
            return MeheryMessage.system(message, "an interactive reply of type "
                    + message.at("/interactive/type").asText());
        }
        return MeheryMessage.text(reply.path("title").asText()).withAction(reply.path("id").asText(null))
                .modifiedFrom(message);
    }

    private static String contactNames(JsonNode contacts) {
        String names = StreamSupport.stream(contacts.spliterator(), false)
                .map(c -> c.at("/name/formatted_name").asText("a contact")).collect(Collectors.joining(", "));
        return names.isEmpty() ? "a contact" : names;
    }
}
