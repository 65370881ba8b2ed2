package io.mehery.gateway.api.model;

import java.util.List;

/** Enrichment tags of a message; the gateway fills none yet, and always sends them empty rather than absent. */
public record Tags(
        List<String> categories,
        List<String> cities,
        List<String> countries,
        List<String> langs,
        List<String> locations,
        List<String> organizations,
        List<String> persons,
        Integer sentimentScore,
        List<String> sentiments) {

    public static final Tags NONE = new Tags(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), 0, List.of());
}
