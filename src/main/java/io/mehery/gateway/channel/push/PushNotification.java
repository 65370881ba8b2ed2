package io.mehery.gateway.channel.push;

import java.util.List;

import io.mehery.gateway.api.model.Template;

/**
 * What a device shows for a message, and the message's id for the app to report opens and taps with; {@code actions}
 * are the buttons a template offers, the only action codes the app may report for it.
 */
public record PushNotification(String messageId, String title, String body, String imageUrl,
        List<Template.Button> actions) {

    public PushNotification {
        actions = actions == null ? List.of() : List.copyOf(actions);
    }
}
