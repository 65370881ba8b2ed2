package io.mehery.gateway.store;

/** A contact: one user's address on one channel of one tenant. */
public record ContactRecord(
        String id,
        String tenantId,
        String channelId,
        String contactType,
        String csid,
        String lane,
        String name,
        String email,
        String mobile,
        String profileId,
        Consent consent,
        String labels,
        String channelName) {

    public enum Consent { OPTIN, OPTOUT }

    public boolean optedOut() {
        return consent == Consent.OPTOUT;
    }
}
