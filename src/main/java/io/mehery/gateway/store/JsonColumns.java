package io.mehery.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Values the store keeps as JSON text in a column of their own (lists of lines, maps of files). */
final class JsonColumns {

    private final ObjectMapper json;
    private final String table;

    JsonColumns(ObjectMapper json, String table) {
        this.json = json;
        this.table = table;
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A value for " + table + " cannot be written as JSON", e);
        }
    }

    /** Null stays null. */
    <T> T read(String text, TypeReference<T> type) {
        try {
            return text == null ? null : json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A column of " + table + " is not JSON", e);
        }
    }
}
