package io.mehery.gateway.api.model;

import java.util.Map;

/** A configuration entry as the config API answers it. */
public record ConfigValue(String description, String key, boolean shared, Map<String, Object> value) {
}
