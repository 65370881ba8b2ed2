package io.mehery.gateway.api.model;

import java.util.Map;

public record Template(String id, Map<String, Object> data) {
}
