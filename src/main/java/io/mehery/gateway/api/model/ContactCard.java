package io.mehery.gateway.api.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A contact card sent as a {@code contacts} message. */
public record ContactCard(Name name, List<Phone> phones, List<Email> emails, Org org) {

    public record Name(
            @JsonProperty("formatted_name") String formattedName,
            @JsonProperty("first_name") String firstName,
            @JsonProperty("last_name") String lastName) {
    }

    public record Phone(String phone, String type) {
    }

    public record Email(String email, String type) {
    }

    public record Org(String company, String title) {
    }
}
