package io.mehery.gateway.api.model;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One message of a session, either direction, as session/messages answers it. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SessionMessage(
        String action,
        List<Attachment> attachments,
        String bulkSessionId,
        Contact contact,
        List<String> logs,
        String messageId,
        String messageIdExt,
        String messageIdRef,
        Map<String, Object> meta,
        String name,
        String replyId,
        String replyIdExt,
        String sender,
        String sessionId,
        Map<String, Long> stamps,
        String status,
        Tags tags,
        String template,
        String templateId,
        String text,
        long timestamp,
        String type) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Contact(
            String channelType,
            String contactId,
            String contactType,
            String csid,
            String email,
            String lane,
            String name,
            String phone,
            String profileId) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Attachment(
            String mediaCaption,
            String mediaId,
            String mediaMimeType,
            String mediaName,
            String mediaSrc,
            String mediaType,
            @JsonProperty("mediaURL") String mediaUrl) {
    }
}
