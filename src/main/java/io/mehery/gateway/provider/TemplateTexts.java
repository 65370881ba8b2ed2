package io.mehery.gateway.provider;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.Refusal;
import io.mehery.gateway.api.model.Template;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.store.MessageRecord;

/**
 * Templates on channels that have none of their own: {@code mehery.templates.<id>} is the text, its
 * {@code {{name}}} placeholders filled from the send's {@code data}, blank where a value is missing.
 */
@Component
public class TemplateTexts {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}\\s]+)\\s*}}");

    private final LiveConfiguration live;
    private final ObjectMapper json;

    public TemplateTexts(LiveConfiguration live, ObjectMapper json) {
        this.live = live;
        this.json = json;
    }

    /**
     * The buttons a stored message offered its reader: its template's {@code data.buttons}; none for any other message,
     * or one stored masked (the store keeps nothing else of it).
     */
    public List<Template.Button> buttonsOffered(MessageRecord message) {
        if (!"template".equals(message.type()) || message.masked() || message.content() == null) {
            return List.of();
        }
        try {
            return json.readValue(message.content(), Template.class).buttons();
        } catch (IOException e) {
            throw new IllegalStateException("Stored message content is not JSON", e);
        }
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
