package io.mehery.gateway.channel.twitter;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.conversation.MeheryMessage;

/**
 * A direct message of the Account Activity API ({@code direct_message_events[].message_create.message_data}) in
 * Mehery terms: its text; a photo as an image, a video or GIF as a video, each with the text around it as its
 * caption (X puts the media's t.co link in the text); a quick reply's chosen option as an action.
 */
final class TwitterMessages {

    private TwitterMessages() {
    }

    static MeheryMessage of(JsonNode messageData) {
        String text = messageData.path("text").asText("");
        JsonNode media = messageData.at("/attachment/media");
        MeheryMessage message;
        if (media.isMissingNode()) {
            message = MeheryMessage.text(text);
        } else {
            String caption = text.replace(media.path("url").asText("\u0000"), "").strip();
            boolean photo = "photo".equals(media.path("type").asText());
            message = MeheryMessage.media(photo ? "image" : "video", new Media(caption.isEmpty() ? null : caption,
                    null, media.path("id_str").asText(null), photo ? media.path("media_url_https").asText(null)
                            : videoUrl(media), photo ? imageType(media.path("media_url_https").asText("")) : "video/mp4",
                    null));
        }
        JsonNode quickReply = messageData.path("quick_reply_response");
        return quickReply.hasNonNull("metadata") ? message.withAction(quickReply.path("metadata").asText()) : message;
    }

    /** The best of the video's mp4 variants. */
    private static String videoUrl(JsonNode media) {
        JsonNode best = null;
        for (JsonNode variant : media.at("/video_info/variants")) {
            if ("video/mp4".equals(variant.path("content_type").asText()) && (best == null
                    || variant.path("bitrate").asLong() > best.path("bitrate").asLong())) {
                best = variant;
            }
        }
        return best != null ? best.path("url").asText() : media.path("media_url_https").asText(null);
    }

    private static String imageType(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.endsWith(".png") ? "image/png" : lower.endsWith(".gif") ? "image/gif"
                : lower.endsWith(".webp") ? "image/webp" : "image/jpeg";
    }
}
