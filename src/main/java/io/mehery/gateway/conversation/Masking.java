package io.mehery.gateway.conversation;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * What a masked message looks like in the store and in history: every value a person wrote replaced by the same
 * fixed mask (which hides even its length), keeping only the names that describe its shape.
 */
public final class Masking {

    public static final String MASK = "*****";
    private static final Set<String> SHAPE_FIELDS = Set.of("type", "mime_type", "id");

    private Masking() {
    }

    public static String mask(String text) {
        return text == null ? null : MASK;
    }

    /** A masked copy of the node. */
    public static JsonNode mask(JsonNode node) {
        JsonNode copy = node.deepCopy();
        maskInPlace(copy);
        return copy;
    }

    private static void maskInPlace(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(name -> {
                JsonNode value = object.get(name);
                if (value.isContainerNode()) {
                    maskInPlace(value);
                } else if (!value.isNull() && !SHAPE_FIELDS.contains(name)) {
                    object.set(name, TextNode.valueOf(MASK));
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value.isContainerNode()) {
                    maskInPlace(value);
                } else if (!value.isNull()) {
                    array.set(i, TextNode.valueOf(MASK));
                }
            }
        }
    }
}
