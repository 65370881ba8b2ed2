package io.mehery.gateway.tags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The sentiment of a chat text by the VADER method (Hutto and Gilbert, 2014): each word's valence from a lexicon,
 * turned by a negation before it (or, as Turkish puts "değil", right after it), raised or lowered by an intensifier
 * ("very", "slightly"), stressed by capitals and exclamation marks, and what follows a "but" weighing more than what
 * precedes it; the sum normalised into [-1, 1]. English words from VADER's own lexicon (MIT, from its Java port's
 * jar); French, German, Spanish, Italian, Portuguese, Dutch and Turkish words, their negations and intensifiers, and
 * emoji from this project's smaller lexicon ({@code tags/sentiment-lexicon.tsv}). The score is that value times
 * 100, rounded: -100 (most negative) to 100; positive from 5, negative from -5, neutral between.
 */
final class Sentiments {

    record Sentiment(String label, int score) {
    }

    private static final double NEGATION = -0.74;
    private static final double BOOST = 0.293;
    private static final double CAPS = 0.733;
    private static final double EXCLAMATION = 0.292;
    private static final double ALPHA = 15;
    private static final Set<String> BUT = Set.of("but", "mais", "aber", "pero", "ma", "mas", "maar", "ama",
            "fakat");

    private final Map<String, Double> valences = new HashMap<>();
    private final Map<String, Double> boosters = new HashMap<>();
    private final Set<String> negations = new HashSet<>();
    private final Set<String> negationsAfter = new HashSet<>();

    Sentiments() {
        read("vader_sentiment_lexicon.txt", (word, rest) -> valences.put(word, Double.parseDouble(rest[0])));
        read("tags/sentiment-lexicon.tsv", (word, rest) -> {
            switch (rest[0]) {
                case "negation" -> negations.add(word);
                case "negation-after" -> negationsAfter.add(word);
                case "booster" -> boosters.put(word, Double.parseDouble(rest[1]) * BOOST);
                default -> valences.put(word, Double.parseDouble(rest[0]));
            }
        });
    }

    Sentiment of(String text) {
        List<String> words = words(text);
        boolean mixedCase = !text.equals(text.toUpperCase(Locale.ROOT));
        List<Double> scored = new ArrayList<>();
        int butAt = -1;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String lower = word.toLowerCase(Locale.ROOT);
            if (BUT.contains(lower) && butAt < 0) {
                butAt = scored.size();
            }
            Double valence = valences.get(lower);
            if (valence == null || boosters.containsKey(lower)) {
                continue;
            }
            double v = valence;
            if (mixedCase && word.length() > 1 && word.equals(word.toUpperCase(Locale.ROOT))
                    && !word.equals(lower)) {
                v += Math.signum(v) * CAPS;
            }
            for (int back = 1; back <= 3 && i - back >= 0; back++) {
                String before = words.get(i - back).toLowerCase(Locale.ROOT);
                double damping = back == 1 ? 1 : back == 2 ? 0.95 : 0.9;
                Double boost = boosters.get(before);
                if (boost != null) {
                    v += Math.signum(v) * boost * damping;
                }
                if (negations.contains(before) || before.endsWith("n't")) {
                    v *= NEGATION;
                }
            }
            if (i + 1 < words.size() && negationsAfter.contains(words.get(i + 1).toLowerCase(Locale.ROOT))) {
                v *= NEGATION;
            }
            scored.add(v);
        }
        double sum = 0;
        for (int i = 0; i < scored.size(); i++) {
            double weight = butAt < 0 ? 1 : i < butAt ? 0.5 : 1.5;
            sum += scored.get(i) * weight;
        }
        if (sum != 0) {
            long exclamations = Math.min(4, text.chars().filter(c -> c == '!').count());
            sum += Math.signum(sum) * exclamations * EXCLAMATION;
        }
        double compound = sum / Math.sqrt(sum * sum + ALPHA);
        int score = (int) Math.round(compound * 100);
        return new Sentiment(score >= 5 ? "positive" : score <= -5 ? "negative" : "neutral", score);
    }

    /**
     * The text's words and emoticons: split at white space and at the apostrophes of French and Italian elisions
     * ("c'est", "l'hôtel"), edge punctuation taken off unless the token is in the lexicon as it stands (":)"), and
     * every emoji a token of its own.
     */
    private List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String token : text.split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            if (valences.containsKey(token)) {
                words.add(token);
                continue;
            }
            StringBuilder word = new StringBuilder();
            token.codePoints().forEach(c -> {
                if (Character.isLetterOrDigit(c) || c == '\'' || c == '-') {
                    word.appendCodePoint(c);
                } else if (Character.getType(c) == Character.OTHER_SYMBOL) {
                    flush(word, words);
                    words.add(new String(Character.toChars(c)));
                }
            });
            flush(word, words);
        }
        return words;
    }

    private static void flush(StringBuilder word, List<String> words) {
        String w = word.toString().replaceAll("^['-]+|['-]+$", "");
        word.setLength(0);
        if (w.isEmpty()) {
            return;
        }
        int elision = w.indexOf('\'');
        // c'est -> c' est; don't stays whole (its n't is a negation)
        if (elision > 0 && elision <= 2 && !w.toLowerCase(Locale.ROOT).endsWith("n't")) {
            words.add(w.substring(0, elision + 1));
            words.add(w.substring(elision + 1));
        } else {
            words.add(w);
        }
    }

    private interface Entry {
        void read(String word, String[] rest);
    }

    private static void read(String resource, Entry entry) {
        for (String[] fields : TabSeparated.rows(resource)) {
            String[] rest = new String[fields.length - 1];
            System.arraycopy(fields, 1, rest, 0, rest.length);
            entry.read(fields[0].toLowerCase(Locale.ROOT), rest);
        }
    }
}
