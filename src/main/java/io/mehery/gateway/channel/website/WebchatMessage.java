package io.mehery.gateway.channel.website;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.mehery.gateway.api.model.Template;

/**
 * A message as the widget shows it. {@code from} is {@code visitor} or {@code business}; {@code seq} orders the
 * conversation (the widget asks for what came after the last it has); {@code clientId} is the widget's id of a
 * visitor's message (its other tabs and its own sending show it once); {@code file.url} is the business's link,
 * or, for a visitor's own upload, the gateway path the widget reads it from with its token; {@code buttons} are the
 * choices under a business message, whose tap arrives as action/event with the code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebchatMessage(String id, long seq, String from, String clientId, String type, String text, File file,
        JsonNode location, List<Template.Button> buttons, String status, long at) {

    public record File(String url, String mimeType, String filename, String caption) {
    }
}
