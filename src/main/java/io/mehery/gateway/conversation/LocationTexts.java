package io.mehery.gateway.conversation;

import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.mehery.gateway.api.model.Location;

/** How a location reads as text in history: its name and address, else its coordinates. */
public final class LocationTexts {

    private LocationTexts() {
    }

    public static String of(Location location) {
        String named = Stream.of(location.name(), location.address()).filter(s -> s != null && !s.isBlank())
                .collect(Collectors.joining(", "));
        return named.isEmpty() ? location.latitude() + "," + location.longitude() : named;
    }
}
