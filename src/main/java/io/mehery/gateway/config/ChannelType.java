package io.mehery.gateway.config;

/** The kinds of channel the gateway speaks; the names are the spec's contactType values. */
public enum ChannelType {
    WHATSAPP, TELEGRAM, FACEBOOK, INSTAGRAM, SMS, EMAIL, DUMMY;

    /** EMAIL addresses users by e-mail; every other channel by the address carried in {@code to.phone}. */
    public boolean addressesByEmail() {
        return this == EMAIL;
    }

    /** Channels whose user address is a phone number (the sandbox plays one). */
    public boolean addressesByPhoneNumber() {
        return this == WHATSAPP || this == SMS || this == DUMMY;
    }
}
