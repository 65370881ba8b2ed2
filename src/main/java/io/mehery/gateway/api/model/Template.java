package io.mehery.gateway.api.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;

public record Template(String id, Map<String, Object> data) {

    /** A choice a template offers its reader: the words on the button and the code its tap reports. */
    public record Button(String text, String actionCode) {
    }

    /** The template's {@code data.buttons}, each {@code {"text": ..., "actionCode": ...}}; empty when it has none. */
    @JsonIgnore
    public List<Button> buttons() {
        Object listed = data == null ? null : data.get("buttons");
        List<Button> buttons = new ArrayList<>();
        if (listed instanceof List<?> entries) {
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> button && button.get("text") instanceof String text
                        && button.get("actionCode") instanceof String code) {
                    buttons.add(new Button(text, code));
                }
            }
        }
        return buttons;
    }
}
