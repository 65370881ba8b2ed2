package io.mehery.gateway.channel.push;

import io.mehery.gateway.config.MeheryProperties.Channel;

/** One push provider: a notification to one device. */
interface PushSender {

    /** The provider's name in {@code mehery.channels.<id>.provider}. */
    String provider();

    Delivery send(Channel channel, String deviceToken, PushNotification notification);

    /** What the provider said of one device. */
    record Delivery(Outcome outcome, String providerId, String reason) {

        static Delivery sent(String providerId) {
            return new Delivery(Outcome.SENT, providerId, null);
        }

        static Delivery of(Outcome outcome, String reason) {
            return new Delivery(outcome, null, reason);
        }
    }

    enum Outcome {
        SENT,
        /** The token is no longer the app's on that device: the device is forgotten. */
        UNREGISTERED,
        /** Trouble that may pass (429, 5xx, no answer): the send is tried again later. */
        RETRY,
        FAILED
    }
}
