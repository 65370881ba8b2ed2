package io.mehery.gateway.channel.whatsapp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.mehery.gateway.api.Refusal;
import io.mehery.gateway.api.model.Template;

/**
 * A template send as Meta defines it: {@code template.id} is the approved template's name, and {@code data} says
 * how to fill it:
 * <ul>
 * <li>{@code language}: the template's language code (the channel's {@code template-language} by default);</li>
 * <li>{@code header}: {@code {"type":"text","text":...}} or {@code {"type":"image"|"video"|"document","link":...}}
 * (a document may have a {@code filename});</li>
 * <li>{@code body}: the body's parameters, a list (positional: {{1}}, {{2}}...) or an object (named);</li>
 * <li>{@code buttons}: one entry per button that takes a parameter, {@code {"type":"quick_reply","payload":...}} or
 * {@code {"type":"url","text":<the URL's suffix>}}, at its position in the template ({@code index}, else its place
 * in the list);</li>
 * <li>any other key is a body parameter: {@code "1"}, {@code "2"}... by position, other names as named ones.</li>
 * </ul>
 * A shape Meta would refuse is refused at accept, with the field named.
 */
final class WhatsAppTemplates {

    private static final Set<String> PARTS = Set.of("language", "header", "body", "buttons");
    private static final Set<String> MEDIA_HEADERS = Set.of("image", "video", "document");

    private WhatsAppTemplates() {
    }

    /** Refuses (400, field named) what Meta's template message has no place for. */
    static void check(Template template, ObjectMapper json) {
        build(template, "en_US", json);
    }

    static ObjectNode build(Template template, String defaultLanguage, ObjectMapper json) {
        Map<String, Object> data = template.data() == null ? Map.of() : template.data();
        ObjectNode part = json.createObjectNode().put("name", template.id());
        Object language = data.getOrDefault("language", defaultLanguage);
        require(language instanceof String code && !code.isBlank(), "template.data.language",
                "a language code such as en_US");
        part.putObject("language").put("code", (String) language);
        ArrayNode components = json.createArrayNode();
        if (data.get("header") != null) {
            components.add(header(json.valueToTree(data.get("header")), json));
        }
        ArrayNode body = bodyParameters(data, json);
        if (!body.isEmpty()) {
            ObjectNode component = components.addObject().put("type", "body");
            component.set("parameters", body);
        }
        if (data.get("buttons") != null) {
            buttons(json.valueToTree(data.get("buttons")), components);
        }
        if (!components.isEmpty()) {
            part.set("components", components);
        }
        return part;
    }

    private static ObjectNode header(JsonNode header, ObjectMapper json) {
        String type = header.path("type").asText();
        ObjectNode parameter = json.createObjectNode().put("type", type);
        if ("text".equals(type)) {
            require(header.path("text").isTextual(), "template.data.header.text", "the header's text");
            parameter.put("text", header.path("text").asText());
            if (header.hasNonNull("parameter_name")) {
                parameter.put("parameter_name", header.path("parameter_name").asText());
            }
        } else {
            require(MEDIA_HEADERS.contains(type), "template.data.header.type", "text, image, video or document");
            require(header.path("link").isTextual(), "template.data.header.link", "the " + type + "'s link");
            ObjectNode media = parameter.putObject(type).put("link", header.path("link").asText());
            if ("document".equals(type) && header.hasNonNull("filename")) {
                media.put("filename", header.path("filename").asText());
            }
        }
        ObjectNode component = json.createObjectNode().put("type", "header");
        component.putArray("parameters").add(parameter);
        return component;
    }

    private static ArrayNode bodyParameters(Map<String, Object> data, ObjectMapper json) {
        ArrayNode parameters = json.createArrayNode();
        Object body = data.get("body");
        if (body instanceof List<?> positional) {
            positional.forEach(value -> parameters.addObject().put("type", "text").put("text", text(value)));
            return parameters;
        }
        Map<String, Object> loose = new TreeMap<>();
        data.forEach((key, value) -> {
            if (!PARTS.contains(key)) {
                loose.put(key, value);
            }
        });
        if (body instanceof Map<?, ?> named) {
            named.forEach((key, value) -> loose.put(String.valueOf(key), value));
        } else {
            require(body == null, "template.data.body", "a list (positional) or an object (named parameters)");
        }
        boolean positional = !loose.isEmpty() && loose.keySet().stream().allMatch(k -> k.matches("\\d+"));
        Map<String, Object> ordered = positional
                ? new TreeMap<>((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b))) : loose;
        if (positional) {
            ordered.putAll(loose);
        }
        ordered.forEach((key, value) -> {
            ObjectNode parameter = parameters.addObject().put("type", "text").put("text", text(value));
            if (!positional) {
                parameter.put("parameter_name", key);
            }
        });
        return parameters;
    }

    private static void buttons(JsonNode buttons, ArrayNode components) {
        require(buttons.isArray(), "template.data.buttons", "a list of buttons");
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < buttons.size(); i++) {
            JsonNode button = buttons.get(i);
            String field = "template.data.buttons[" + i + "]";
            String type = button.path("type").asText();
            String index = button.hasNonNull("index") ? button.path("index").asText() : String.valueOf(i);
            require(index.matches("\\d") && !seen.contains(index), field + ".index", "a button position 0-9, once");
            seen.add(index);
            ObjectNode component = components.addObject().put("type", "button").put("index", index);
            switch (type) {
                case "quick_reply" -> {
                    require(button.path("payload").isTextual(), field + ".payload", "the payload sent back");
                    component.put("sub_type", "quick_reply").putArray("parameters").addObject()
                            .put("type", "payload").put("payload", button.path("payload").asText());
                }
                case "url" -> {
                    require(button.path("text").isTextual(), field + ".text", "the suffix of the button's URL");
                    component.put("sub_type", "url").putArray("parameters").addObject()
                            .put("type", "text").put("text", button.path("text").asText());
                }
                default -> require(false, field + ".type", "quick_reply or url");
            }
        }
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static void require(boolean valid, String field, String expected) {
        if (!valid) {
            throw new Refusal("INVALID_FIELD", field, "'" + field + "' must be " + expected);
        }
    }
}
