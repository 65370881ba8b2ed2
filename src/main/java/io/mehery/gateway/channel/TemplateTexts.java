package io.mehery.gateway.channel;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import io.mehery.gateway.api.model.Template;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.conversation.Refusal;

/**
 * Templates on channels that have none of their own: {@code mehery.templates.<id>} is the text, its
 * {@code {{name}}} placeholders filled from the send's {@code data}, blank where a value is missing.
 */
@Component
public class TemplateTexts {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}\\s]+)\\s*}}");

    private final LiveConfiguration live;

    public TemplateTexts(LiveConfiguration live) {
        this.live = live;
    }

    /** The template's text; a template no {@code mehery.templates.<id>} holds is refused, naming the key to set. */
    public String textOf(String templateId) {
        String text = live.templates().get(templateId);
        if (text == null) {
            throw new Refusal("UNKNOWN_TEMPLATE", "template.id", "No template '" + templateId
                    + "' is configured (mehery.templates." + templateId + ")");
        }
        return text;
    }

    public String render(Template template) {
        String text = textOf(template.id());
        Map<String, Object> data = template.data() == null ? Map.of() : template.data();
        Matcher placeholders = PLACEHOLDER.matcher(text);
        StringBuilder rendered = new StringBuilder();
        while (placeholders.find()) {
            Object value = data.get(placeholders.group(1));
            placeholders.appendReplacement(rendered, Matcher.quoteReplacement(value == null ? "" : value.toString()));
        }
        placeholders.appendTail(rendered);
        return rendered.toString();
    }
}
