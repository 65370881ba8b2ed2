package io.mehery.gateway.api.model;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The spec's message-type values, written in lower case on the wire. */
public enum MessageType {
    AUDIO, DOCUMENT, IMAGE, LOCATION, SYSTEM, TEXT, VIDEO, VOICE, CONTACTS, TEMPLATE, OPTIN, OPTOUT;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static MessageType of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean isMedia() {
        return this == AUDIO || this == DOCUMENT || this == IMAGE || this == VIDEO || this == VOICE;
    }

    public boolean isConsent() {
        return this == OPTIN || this == OPTOUT;
    }
}
