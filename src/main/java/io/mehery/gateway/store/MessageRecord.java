package io.mehery.gateway.store;

/**
 * A stored message. {@code content} is the JSON of its type's part (the {@code image} object of an image
 * message, say), masked when {@code masked}; {@code text} is what a person reads of it; {@code failure} what the
 * provider said when it failed; {@code tags} the tags (JSON) its callback carried, none before it was made.
 */
public record MessageRecord(
        String id,
        String tenantId,
        String channelId,
        String sessionId,
        String contactId,
        Direction direction,
        String type,
        String status,
        String text,
        String content,
        boolean masked,
        String messageIdExt,
        String sender,
        long createdAt,
        String failure,
        String tags,
        Context context) {

    public enum Direction { INBOUND, OUTBOUND }

    /**
     * What the provider said about the message beyond its content: the action the user chose, the provider id of
     * the message it replies to and that message's gateway id (when stored), and the provider's own message (JSON)
     * when the channel's mapping changed it.
     */
    public record Context(String actionCode, String replyIdExt, String replyId, String originalMessage) {

        public static final Context NONE = new Context(null, null, null, null);
    }
}
