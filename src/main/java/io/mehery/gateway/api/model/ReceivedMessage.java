package io.mehery.gateway.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** One message of the message/receive callback. The part named by {@code type} carries its content. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReceivedMessage(
        String contactId,
        String from,
        String id,
        String messageIdExt,
        Session session,
        Tags tags,
        long timestamp,
        String type,
        JsonNode text,
        JsonNode image,
        JsonNode audio,
        JsonNode video,
        JsonNode voice,
        JsonNode document,
        JsonNode location,
        JsonNode originalMessage) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Session(String sessionId, String assignedToAgent, String assignedToDept) {
    }
}
