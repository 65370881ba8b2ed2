package io.mehery.gateway.channel.telegram;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.model.Location;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.Text;

/**
 * One Telegram message in Mehery terms. A photo arrives in several sizes of one picture: the largest is kept.
 * A kind without a Mehery counterpart (shared contacts, polls, dice...) becomes a {@code system} message carrying
 * Telegram's message as {@code originalMessage}.
 */
record TelegramMessages(String type, Object part, String text) {

    static TelegramMessages of(JsonNode message) {
        String caption = message.path("caption").asText(null);
        if (message.has("text")) {
            return new TelegramMessages("text", new Text(message.path("text").asText(), null),
                    message.path("text").asText());
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
            return media("image", message.path("sticker"), "image/webp", null);
        }
        if (message.has("location")) {
            JsonNode at = message.path("location");
            Location location = new Location(null, at.path("latitude").asText(), at.path("longitude").asText(), null);
            return new TelegramMessages("location", location, location.latitude() + "," + location.longitude());
        }
        if (message.has("contact")) {
            JsonNode contact = message.path("contact");
            return new TelegramMessages("system", message, "shared " + contact.path("first_name").asText("a contact")
                    + " " + contact.path("phone_number").asText(""));
        }
        return new TelegramMessages("system", message, "a Telegram message the gateway does not map");
    }

    private static TelegramMessages media(String type, JsonNode media, String defaultMime, String caption) {
        return new TelegramMessages(type, new Media(caption, media.path("file_name").asText(null),
                media.path("file_id").asText(null), null, media.path("mime_type").asText(defaultMime), null), caption);
    }
}
