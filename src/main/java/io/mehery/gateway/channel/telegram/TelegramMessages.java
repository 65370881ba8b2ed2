package io.mehery.gateway.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.model.Location;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.conversation.MeheryMessage;

/**
 * Telegram messages in Mehery terms. A message is known by {@code <chat id>:<message id>} (Telegram numbers messages
 * per chat), the id a client needs to reply to it or react. A photo arrives in several sizes of one picture: the
 * largest is kept. A kind without a Mehery counterpart (shared contacts, polls, dice...) becomes a {@code system}
 * message carrying Telegram's message.
 */
final class TelegramMessages {

    private TelegramMessages() {
    }

    static String idOf(JsonNode message) {
        return message.at("/chat/id").asText() + ":" + message.path("message_id").asText();
    }

    static MeheryMessage of(JsonNode message) {
        JsonNode repliedTo = message.path("reply_to_message");
        return mapped(message).replyingTo(repliedTo.isMissingNode() ? null : idOf(repliedTo));
    }

    private static MeheryMessage mapped(JsonNode message) {
        String caption = message.path("caption").asText(null);
        if (message.has("text")) {
            return MeheryMessage.text(message.path("text").asText());
        }
        if (message.has("photo") && message.path("photo").size() > 0) {
            JsonNode largest = message.path("photo").get(message.path("photo").size() - 1);
            return media("image", largest, "image/jpeg", caption);
        }
        for (String kind : new String[] {"voice", "audio", "video", "document"}) {
            if (message.has(kind)) {
                return media(kind, message.path(kind), null, caption);
            }
        }
        if (message.has("sticker")) {
            return media("image", message.path("sticker"), "image/webp", null).modifiedFrom(message);
        }
        if (message.has("venue")) {
            JsonNode venue = message.path("venue");
            return location(venue.path("location"), venue.path("title").asText(null),
                    venue.path("address").asText(null));
        }
        if (message.has("location")) {
            return location(message.path("location"), null, null);
        }
        if (message.has("contact")) {
            JsonNode contact = message.path("contact");
            return MeheryMessage.system(message, "shared " + contact.path("first_name").asText("a contact") + " "
                    + contact.path("phone_number").asText(""));
        }
        return MeheryMessage.system(message, "a Telegram message the gateway does not map");
    }

    private static MeheryMessage location(JsonNode at, String name, String address) {
        return MeheryMessage.location(new Location(address, at.path("latitude").asText(),
                at.path("longitude").asText(), name));
    }

    private static MeheryMessage media(String type, JsonNode media, String defaultMime, String caption) {
        return MeheryMessage.media(type, new Media(caption, media.path("file_name").asText(null),
                media.path("file_id").asText(null), null, media.path("mime_type").asText(defaultMime), null));
    }
}
