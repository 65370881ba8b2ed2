package io.mehery.gateway.config;

import java.util.List;

import io.mehery.gateway.api.model.MessageType;

/** The kinds of channel the gateway speaks; the names are the spec's contactType values. */
public enum ChannelType {
    WHATSAPP, TELEGRAM, FACEBOOK, INSTAGRAM, SMS, EMAIL, DUMMY,
    /** A chat widget on the business's own site; its users are the site's visitors. */
    WEBSITE,
    /** X (Twitter) direct messages to the business's account. */
    TWITTER,
    /** Notifications to the business's app on its users' devices (Firebase Cloud Messaging or APNs). */
    PUSH,
    /** No transport: sends are kept as notes (status recorded) and nothing leaves the gateway. */
    EMPTY;

    /** EMAIL addresses users by e-mail; every other channel by the address carried in {@code to.phone}. */
    public boolean addressesByEmail() {
        return this == EMAIL;
    }

    /**
     * Whether a message of this type can be sent on channels of this kind. Consent types are recorded, never
     * sent; Messenger, Instagram, SMS and e-mail carry no location or contact cards, Instagram no documents, the
     * website widget no contact cards; X direct messages and push notifications carry text and one image (a video needs X's chunked upload).
     */
    public boolean carries(MessageType type) {
        if (type.isConsent()) {
            return true;
        }
        return switch (this) {
            case FACEBOOK -> type != MessageType.LOCATION && type != MessageType.CONTACTS
                    && type != MessageType.SYSTEM;
            case INSTAGRAM -> type != MessageType.LOCATION && type != MessageType.CONTACTS
                    && type != MessageType.DOCUMENT && type != MessageType.SYSTEM;
            case WEBSITE -> type != MessageType.CONTACTS && type != MessageType.SYSTEM;
            case TWITTER, PUSH -> type == MessageType.TEXT || type == MessageType.TEMPLATE
                    || type == MessageType.IMAGE;
            case SMS, EMAIL -> type != MessageType.LOCATION && type != MessageType.CONTACTS && type != MessageType.SYSTEM;
            default -> type != MessageType.SYSTEM;
        };
    }

    /** Whether sends on channels of this kind leave the gateway (through its outbound route). */
    public boolean hasTransport() {
        return this != EMPTY;
    }

    /**
     * Whether templates are the provider's own (WhatsApp's, approved by Meta). Every other kind, the sandbox too,
     * renders a template from the gateway's {@code mehery.templates.<id>} text, and refuses one it has no text for.
     */
    public boolean hasOwnTemplates() {
        return this == WHATSAPP;
    }

    /** Channels whose provider request is JSON, which a provider-request mapping (mehery.mappings) may reshape. */
    public boolean providerTakesJson() {
        return this == WHATSAPP || this == TELEGRAM || this == FACEBOOK || this == INSTAGRAM || this == TWITTER;
    }

    /**
     * The hosts (and their subdomains) where a provider keeps the files its events link to, beside the channel's own
     * {@code base-url} host: the only ones the gateway fetches media from, and sends the provider's credentials to.
     */
    public List<String> fileHosts() {
        return switch (this) {
            case WHATSAPP -> List.of("fbsbx.com", "fbcdn.net", "whatsapp.net");
            case FACEBOOK, INSTAGRAM -> List.of("fbsbx.com", "fbcdn.net", "cdninstagram.com");
            case SMS -> List.of("twiliocdn.com", "twilio.com");
            case TWITTER -> List.of("twitter.com", "twimg.com", "x.com");
            default -> List.of();
        };
    }

    /**
     * The provider's own bound on a sender's calls, the channel's {@code max-rate} unless it sets one: the WhatsApp
     * Cloud API's default throughput per business number, the Telegram Bot API's bound on a bot's messages. Other
     * providers bound by account or number in ways the gateway cannot know: none unless set.
     */
    public String defaultMaxRate() {
        return switch (this) {
            case WHATSAPP -> "80/s";
            case TELEGRAM -> "30/s";
            default -> null;
        };
    }

    /** Channels whose user address is a phone number (the sandbox plays one). */
    public boolean addressesByPhoneNumber() {
        return this == WHATSAPP || this == SMS || this == DUMMY;
    }
}
