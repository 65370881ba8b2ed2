package io.mehery.gateway.tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;

/**
 * The CPU of telling one chat text's language among the 14 default languages: {@link Languages} (Lingua's models,
 * one lookup per trigram for every language) beside Lingua 1.2.2's own detector in the same mode, over the labelled
 * set's texts in turn (50 characters on average).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LanguagesBenchmark {

    private static final List<String> DEFAULT_LANGUAGES = List.of("en", "fr", "de", "es", "it", "pt", "nl", "tr",
            "ru", "ar", "hi", "id", "pl", "sv");

    private final List<String> texts = new ArrayList<>();
    private Languages languages;
    private LanguageDetector lingua;
    private int next;

    @Setup
    public void setUp() {
        for (String file : TagsEvaluationTest.FILES) {
            TabSeparated.rows("tags/" + file).forEach(row -> texts.add(row[4]));
        }
        languages = new Languages(DEFAULT_LANGUAGES);
        lingua = LanguageDetectorBuilder.fromLanguages(DEFAULT_LANGUAGES.stream()
                .map(code -> Language.getByIsoCode639_1(IsoCode639_1.valueOf(code.toUpperCase(Locale.ROOT))))
                .toArray(Language[]::new)).withMinimumRelativeDistance(0.05).withLowAccuracyMode().build();
    }

    @Benchmark
    public List<String> gatewayLanguages() {
        return languages.of(nextText());
    }

    @Benchmark
    public Language linguaDetector() {
        return lingua.detectLanguageOf(nextText());
    }

    private String nextText() {
        next = (next + 1) % texts.size();
        return texts.get(next);
    }
}
