package io.mehery.gateway.channel.messenger;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.model.Location;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.conversation.MeheryMessage;

/**
 * Messenger Platform events (Facebook Messenger or Instagram) in Mehery terms. A message with several attachments
 * becomes one Mehery message per attachment (the first keeps the {@code mid}, the others {@code mid#2}, {@code
 * mid#3}...), its text the first one's caption; a quick reply or postback carries an action; a reply keeps the id of
 * the message it answers ({@code reply_to.mid}); reactions and attachment kinds without a Mehery counterpart become
 * {@code system} messages with the event as the original.
 */
final class MessengerMessages {

    private MessengerMessages() {
    }

    /** One Mehery message and the provider id it is known by. */
    record Part(String messageIdExt, MeheryMessage message) {
    }

    static List<Part> of(JsonNode event) {
        JsonNode postback = event.path("postback");
        if (!postback.isMissingNode()) {
            String title = postback.path("title").asText(postback.path("payload").asText());
            return List.of(new Part(postback.path("mid").asText(null), MeheryMessage.text(title)
                    .withAction(postback.path("payload").asText(null)).modifiedFrom(event)));
        }
        JsonNode message = event.path("message");
        if (message.isMissingNode()) {
            String kind = event.has("reaction") ? "reaction" : "event";
            String id = event.at("/reaction/mid").asText(null);
            return List.of(new Part(id == null ? null : kind + ":" + id + ":" + event.path("timestamp").asText(),
                    MeheryMessage.system(event, "a " + kind).replyingTo(id)));
        }
        String mid = message.path("mid").asText(null);
        String repliedTo = message.at("/reply_to/mid").asText(null);
        String text = message.path("text").asText(null);
        JsonNode quickReply = message.path("quick_reply");
        if (!quickReply.isMissingNode()) {
            return List.of(new Part(mid, MeheryMessage.text(text).withAction(quickReply.path("payload").asText(null))
                    .replyingTo(repliedTo).modifiedFrom(event)));
        }
        JsonNode attachments = message.path("attachments");
        if (attachments.isEmpty()) {
            return List.of(new Part(mid, MeheryMessage.text(text).replyingTo(repliedTo)));
        }
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < attachments.size(); i++) {
            MeheryMessage part = attachment(attachments.get(i), i == 0 ? text : null, event).replyingTo(repliedTo);
            parts.add(new Part(i == 0 || mid == null ? mid : mid + "#" + (i + 1), part));
        }
        return parts;
    }

    /** The text of a {@code message_edit} event, with the event as the original. */
    static MeheryMessage edited(JsonNode event) {
        return MeheryMessage.text(event.at("/message_edit/text").asText()).modifiedFrom(event);
    }

    private static MeheryMessage attachment(JsonNode attachment, String caption, JsonNode event) {
        String url = attachment.at("/payload/url").asText(null);
        return switch (attachment.path("type").asText()) {
            case "image" -> media("image", url, caption);
            case "audio" -> media("audio", url, caption);
            case "video" -> media("video", url, caption);
            case "file" -> media("document", url, caption);
            case "location" -> {
                JsonNode at = attachment.at("/payload/coordinates");
                yield MeheryMessage.location(new Location(null, at.path("lat").asText(), at.path("long").asText(),
                        attachment.path("title").asText(null)));
            }
            default -> MeheryMessage.system(event, "an attachment of type " + attachment.path("type").asText());
        };
    }

    private static MeheryMessage media(String type, String url, String caption) {
        return MeheryMessage.media(type, new Media(caption, null, null, url, null, null));
    }
}
