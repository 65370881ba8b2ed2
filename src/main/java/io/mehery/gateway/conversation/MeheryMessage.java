package io.mehery.gateway.conversation;

import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.model.Location;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.Text;

/**
 * A message a user sent, as its channel's mapping puts it in Mehery terms: the spec's {@code type} and that type's
 * part, what a person reads of it, the action it carries (a button, quick reply or postback), the provider id of
 * the message it replies to, and the provider's own message when the mapping had to change it (the spec's
 * {@code originalMessage}: a sticker shown as an image, a button press shown as its title, an edit), and the file
 * itself where the provider delivers it inline (an e-mail attachment) rather than by an id the gateway fetches.
 */
public record MeheryMessage(
        String type,
        Object part,
        String text,
        String actionCode,
        String replyIdExt,
        JsonNode originalMessage,
        byte[] file) {

    public static MeheryMessage text(String body) {
        return new MeheryMessage("text", new Text(body, "text"), body, null, null, null, null);
    }

    /** {@code type} is image, audio, voice, video or document; a caption is what a person reads of it. */
    public static MeheryMessage media(String type, Media media) {
        return new MeheryMessage(type, media, media.caption(), null, null, null, null);
    }

    public static MeheryMessage location(Location location) {
        return new MeheryMessage("location", location, LocationTexts.of(location), null, null, null, null);
    }

    /** A kind of message with no Mehery counterpart: the provider's message itself, and a line that names it. */
    public static MeheryMessage system(JsonNode providerMessage, String text) {
        return new MeheryMessage("system", providerMessage, text, null, null, providerMessage, null);
    }

    /** The Mehery type of a file of this mime type. */
    public static String mediaTypeOf(String mimeType) {
        if (mimeType.startsWith("image/")) {
            return "image";
        }
        if (mimeType.startsWith("video/")) {
            return "video";
        }
        return mimeType.startsWith("audio/") ? "audio" : "document";
    }

    /** A file the provider delivered with the message, kept by the gateway and served as its media. */
    public static MeheryMessage file(String type, Media media, byte[] bytes) {
        return new MeheryMessage(type, media, media.caption(), null, null, null, bytes);
    }

    /** The user chose an action (delivered in message/receive's {@code actions} and as action/event). */
    public MeheryMessage withAction(String code) {
        return new MeheryMessage(type, part, text, code, replyIdExt, originalMessage, file);
    }

    /** The message replies to the one the provider knows as {@code providerMessageId} (ignored when null). */
    public MeheryMessage replyingTo(String providerMessageId) {
        if (providerMessageId == null) {
            return this;
        }
        return new MeheryMessage(type, part, text, actionCode, providerMessageId, originalMessage, file);
    }

    /** The mapping changed what the provider sent: the client gets the provider's message too. */
    public MeheryMessage modifiedFrom(JsonNode providerMessage) {
        return new MeheryMessage(type, part, text, actionCode, replyIdExt, providerMessage, file);
    }
}
