package io.mehery.gateway.api.model;

import java.util.List;

/**
 * A message's tags, named as the spec names them: its languages (ISO 639-1), its sentiment ({@code positive},
 * {@code neutral}, {@code negative}) and score (-100..100), the places, people and organisations it names, and the
 * categories its tenant's rules put it in. {@link #NONE} (every list empty, score 0) where nothing is tagged: they
 * are sent empty, never absent.
 */
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
