package io.mehery.gateway.api.model;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The client's answer to contact/info: what it knows of the contact, merged into the stored one. */
public record ContactProfileUpdate(
        String profileId,
        String name,
        String email,
        String mobile,
        List<JsonNode> labels) {
}
