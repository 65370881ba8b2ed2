package io.mehery.gateway.channel.messenger;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.model.Location;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.Text;

/**
 * One Messenger Platform event (Facebook Messenger or Instagram) in Mehery terms: a message with text or its
 * first attachment, a quick reply or postback as an action; reactions, edits of Instagram messages and attachment
 * kinds without a Mehery counterpart become {@code system} messages with the event as {@code originalMessage}.
 */
record MessengerMessages(String type, Object part, String text, String actionCode, String messageId) {

    static MessengerMessages of(JsonNode event) {
        JsonNode postback = event.path("postback");
        if (!postback.isMissingNode()) {
            String title = postback.path("title").asText(postback.path("payload").asText());
            return new MessengerMessages("text", new Text(title, null), title, postback.path("payload").asText(null),
                    postback.path("mid").asText(null));
        }
        JsonNode message = event.path("message");
        String mid = message.path("mid").asText(null);
        if (message.isMissingNode()) {
            String kind = event.has("reaction") ? "reaction" : event.has("message_edit") ? "message_edit" : "event";
            String id = event.has("reaction") ? event.at("/reaction/mid").asText(null)
                    : event.at("/message_edit/mid").asText(null);
            return new MessengerMessages("system", event, "a " + kind, null,
                    id == null ? null : kind + ":" + id + ":" + event.path("timestamp").asText());
        }
        String text = message.path("text").asText(null);
        JsonNode quickReply = message.path("quick_reply");
        if (!quickReply.isMissingNode()) {
            return new MessengerMessages("text", new Text(text, null), text, quickReply.path("payload").asText(null),
                    mid);
        }
        JsonNode attachment = message.path("attachments").path(0);
        if (attachment.isMissingNode()) {
            return new MessengerMessages("text", new Text(text, null), text, null, mid);
        }
        String url = attachment.at("/payload/url").asText(null);
        return switch (attachment.path("type").asText()) {
            case "image" -> media("image", url, text, mid);
            case "audio" -> media("audio", url, text, mid);
            case "video" -> media("video", url, text, mid);
            case "file" -> media("document", url, text, mid);
            case "location" -> {
                JsonNode at = attachment.at("/payload/coordinates");
                Location location = new Location(null, at.path("lat").asText(), at.path("long").asText(),
                        attachment.path("title").asText(null));
                yield new MessengerMessages("location", location, location.latitude() + "," + location.longitude(),
                        null, mid);
            }
            default -> new MessengerMessages("system", event, "an attachment of type "
                    + attachment.path("type").asText(), null, mid);
        };
    }

    private static MessengerMessages media(String type, String url, String text, String mid) {
        return new MessengerMessages(type, new Media(text, null, null, url, null, null), text, null, mid);
    }
}
