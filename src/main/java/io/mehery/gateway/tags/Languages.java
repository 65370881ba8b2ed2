package io.mehery.gateway.tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;

/**
 * The language of a text, by Lingua among the configured languages (ISO 639-1), in its low-accuracy mode: trigram
 * models only, a few megabytes a language instead of tens, which Lingua's own tables put within a few points of the
 * high-accuracy mode for texts of a sentence. None when the text is too short to tell or Lingua is not sure.
 */
final class Languages {

    /** Fewer letters than this tell no language apart reliably. */
    private static final int FEWEST_LETTERS = 10;

    private final LanguageDetector detector;

    Languages(List<String> isoCodes) {
        List<Language> languages = new ArrayList<>();
        for (String code : isoCodes) {
            languages.add(languageOf(code));
        }
        this.detector = LanguageDetectorBuilder.fromLanguages(languages.toArray(Language[]::new))
                .withMinimumRelativeDistance(0.05).withLowAccuracyMode().build();
    }

    /** The language of an ISO 639-1 code; refused (IllegalArgumentException) when Lingua detects none by it. */
    static Language languageOf(String isoCode) {
        try {
            return Language.getByIsoCode639_1(IsoCode639_1.valueOf(isoCode.toUpperCase(Locale.ROOT)));
        } catch (RuntimeException unknown) {
            throw new IllegalArgumentException(isoCode + " names no language Lingua detects", unknown);
        }
    }

    List<String> of(String text) {
        if (text.codePoints().filter(Character::isLetter).count() < FEWEST_LETTERS) {
            return List.of();
        }
        Language found = detector.detectLanguageOf(text);
        return found == Language.UNKNOWN ? List.of()
                : List.of(found.getIsoCode639_1().toString().toLowerCase(Locale.ROOT));
    }
}
