package io.mehery.gateway.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One entry of the envelope's {@code errors[]} or {@code warnings[]}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Problem(
        Map<String, Object> body,
        String code,
        String codeKey,
        List<String> codes,
        String description,
        String descriptionKey,
        String field,
        String object) {

    public static Problem of(String code, String field, String description) {
        return new Problem(Map.of(), code, code, List.of(code), description, null, field, null);
    }
}
