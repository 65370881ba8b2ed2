package io.mehery.gateway.channel.whatsapp;

import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.model.Location;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.Text;

/**
 * One WhatsApp Cloud API message in Mehery terms. Replies to buttons and lists carry an action (delivered as
 * action/event); a kind without a Mehery counterpart (reactions, shared contacts, orders, unsupported ones)
 * becomes a {@code system} message carrying the provider's message as {@code originalMessage}, never dropped.
 */
record WhatsAppMessages(String type, Object part, String text, String actionCode) {

    static WhatsAppMessages of(JsonNode message) {
        String kind = message.path("type").asText();
        return switch (kind) {
            case "text" -> new WhatsAppMessages("text", new Text(message.at("/text/body").asText(), null),
                    message.at("/text/body").asText(), null);
            case "image", "video", "document" -> media(kind, message.path(kind));
            case "sticker" -> media("image", message.path("sticker"));
            case "audio" -> media(message.at("/audio/voice").asBoolean(false) ? "voice" : "audio",
                    message.path("audio"));
            case "location" -> location(message.path("location"));
            case "interactive" -> interactive(message);
            case "button" -> new WhatsAppMessages("text", new Text(message.at("/button/text").asText(), null),
                    message.at("/button/text").asText(), message.at("/button/payload").asText(null));
            case "reaction" -> system(message, "reacted " + message.at("/reaction/emoji").asText("")
                    + " to " + message.at("/reaction/message_id").asText());
            case "contacts" -> system(message, "shared " + contactNames(message.path("contacts")));
            default -> system(message, kind.isEmpty() ? "a message of no type" : "a message of type " + kind);
        };
    }

    private static WhatsAppMessages media(String type, JsonNode media) {
        String caption = media.path("caption").asText(null);
        return new WhatsAppMessages(type, new Media(caption, media.path("filename").asText(null),
                media.path("id").asText(null), null, media.path("mime_type").asText(null),
                media.path("sha256").asText(null)), caption, null);
    }

    private static WhatsAppMessages location(JsonNode location) {
        Location mehery = new Location(location.path("address").asText(null), location.path("latitude").asText(),
                location.path("longitude").asText(), location.path("name").asText(null));
        String text = mehery.name() != null ? mehery.name() : mehery.latitude() + "," + mehery.longitude();
        return new WhatsAppMessages("location", mehery, text, null);
    }

    private static WhatsAppMessages interactive(JsonNode message) {
        JsonNode reply = message.at("/interactive/button_reply");
        if (reply.isMissingNode()) {
            reply = message.at("/interactive/list_reply");
        }
        if (reply.isMissingNode()) {
            return system(message, "an interactive reply of type " + message.at("/interactive/type").asText());
        }
        String title = reply.path("title").asText();
        return new WhatsAppMessages("text", new Text(title, null), title, reply.path("id").asText(null));
    }

    private static WhatsAppMessages system(JsonNode message, String text) {
        return new WhatsAppMessages("system", message, text, null);
    }

    private static String contactNames(JsonNode contacts) {
        Iterator<JsonNode> all = contacts.elements();
        List<String> names = StreamSupport.stream(((Iterable<JsonNode>) () -> all).spliterator(), false)
                .map(c -> c.at("/name/formatted_name").asText("a contact")).toList();
        return names.isEmpty() ? "a contact" : names.stream().collect(Collectors.joining(", "));
    }
}
