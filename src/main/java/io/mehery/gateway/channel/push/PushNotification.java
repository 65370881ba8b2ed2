package io.mehery.gateway.channel.push;

/** What a device shows for a message, and the message's id for the app to report opens and taps with. */
public record PushNotification(String messageId, String title, String body, String imageUrl) {
}
