package io.mehery.gateway.provider;

import java.util.Set;

import io.mehery.gateway.api.Refusal;
import io.mehery.gateway.api.model.Media;
import io.mehery.gateway.api.model.MessageSendRequest;
import io.mehery.gateway.config.ChannelType;

/**
 * What a channel's provider has no field for in a message/send: refused when the send is accepted, with the
 * field named, so that nothing a client sends is dropped on its way to the provider.
 */
public interface ProviderLimits {

    /** The kinds of channel whose sends these limits apply to. */
    Set<ChannelType> channelTypes();

    /** Throws a 400 {@code UNSUPPORTED_FIELD} naming the first part of the request the provider cannot carry. */
    void refuseWhatIsNotCarried(MessageSendRequest request);

    static void refuseIf(boolean uncarried, String field, String why) {
        if (uncarried) {
            throw new Refusal("UNSUPPORTED_FIELD", field, why);
        }
    }

    /** A media part's filename, where the provider names the file after its link. */
    static void refuseFilename(MessageSendRequest request, String provider) {
        Media media = request.media();
        refuseIf(media != null && media.filename() != null, request.type().json() + ".filename",
                provider + " has no filename field for a " + request.type().json()
                        + "; it names the file after its link");
    }
}
