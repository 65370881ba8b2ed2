package io.mehery.gateway.api.model;

/** Coordinates are strings, as the spec has them; numbers are accepted and kept as written. */
public record Location(String address, String latitude, String longitude, String name) {
}
