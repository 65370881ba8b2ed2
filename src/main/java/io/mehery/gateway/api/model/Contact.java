package io.mehery.gateway.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A contact as the callbacks show it: the user's address on a channel, and what is known of them. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Contact(
        String contactId,
        String contactType,
        String csid,
        String lane,
        Profile profile,
        String profileId) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Profile(String email, String mobile, String name) {
    }
}
