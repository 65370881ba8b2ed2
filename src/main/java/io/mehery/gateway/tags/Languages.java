package io.mehery.gateway.tags;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.Long2FloatMap;
import it.unimi.dsi.fastutil.longs.Long2FloatOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;

/**
 * The language of a text among the configured ones (ISO 639-1), by Lingua's language models and Lingua's own method
 * in its low-accuracy mode: the languages written in the text's script are scored by the sum of the log
 * probabilities of the text's trigrams (a trigram a language's model lacks counts by its bigram, else its letter),
 * and the best wins unless the second is within 5 % of it. None when the text is too short to tell or the two are
 * that close.
 * <p>
 * The models are read from Lingua's jar; the scoring is done here because Lingua 1.2.2 looks every trigram up in
 * every candidate language's own map of strings, and hands each text to the common fork-join pool: 0.3 ms of CPU a
 * message in the running gateway, 5-7 % of all its CPU. Here one lookup of a packed trigram gives every language's
 * probability at once. {@code TagsEvaluationTest} measures both on the labelled set.
 */
final class Languages {

    /** Fewer letters than this tell no language apart reliably. */
    private static final int FEWEST_LETTERS = 10;

    /**
     * The cost grows with the text and the accuracy stops growing at a few sentences (Lingua's tables: 96-99 % on
     * sentences of about 110 characters), so a long e-mail is told by its beginning.
     */
    private static final int MOST_CHARACTERS = 400;

    /** A second language this close to the best (Lingua's minimum relative distance) leaves the text unknown. */
    private static final double CLOSEST_SECOND = 0.05;

    private static final Pattern PUNCTUATION_OR_NUMBER = Pattern.compile("[\\p{P}\\p{N}]");
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");
    private static final List<String> ORDERS = List.of("unigrams", "bigrams", "trigrams");

    private final String[] codes;
    /** Read at first use, not at start ({@link MessageTags} asks once the gateway serves): it takes about a second. */
    private volatile Tables tables;

    /**
     * Every language's n-grams of each length (1 to 3) in one map: the packed n-gram to its row, whose entries
     * ({@code entries[firstEntry[row]..firstEntry[row + 1])}) are the languages that have it and their ln p.
     */
    private record Tables(Character.UnicodeScript[] scripts, Long2IntOpenHashMap rows, int[] firstEntry,
            byte[] entryLanguage, float[] entryLogProbability) {
    }

    Languages(List<String> isoCodes) {
        this.codes = isoCodes.stream().map(code -> code.toLowerCase(Locale.ROOT)).toArray(String[]::new);
        if (codes.length > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("at most " + Byte.MAX_VALUE + " languages can be told apart");
        }
        for (String code : codes) {
            requireKnown(code);
        }
    }

    /** Refused (IllegalArgumentException) when Lingua has no model of the language of this ISO 639-1 code. */
    static void requireKnown(String isoCode) {
        if (Languages.class.getResource(modelPath(isoCode.toLowerCase(Locale.ROOT), "trigrams")) == null) {
            throw new IllegalArgumentException(isoCode + " names no language Lingua has a model of");
        }
    }

    List<String> of(String text) {
        if (text.codePoints().filter(Character::isLetter).count() < FEWEST_LETTERS) {
            return List.of();
        }
        String cleaned = WHITE_SPACE.matcher(PUNCTUATION_OR_NUMBER.matcher(beginningOf(text).trim()
                .toLowerCase(Locale.ROOT)).replaceAll("")).replaceAll(" ");
        Tables tables = tables();
        boolean[] candidate = candidates(cleaned, tables.scripts());
        if (count(candidate) == 1) {
            // the only language written in the text's script (Lingua's rules decide these alone too)
            for (int language = 0; language < codes.length; language++) {
                if (candidate[language]) {
                    return List.of(codes[language]);
                }
            }
        }
        double[] sums = new double[codes.length];
        boolean[] found = new boolean[codes.length];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i + 3 <= cleaned.length(); i++) {
            String trigram = cleaned.substring(i, i + 3);
            if (allLetters(trigram) && seen.add(trigram)) {
                Arrays.fill(found, false);
                // Lingua's backing off: a language without the trigram counts its bigram, else its letter
                for (int length = 3; length >= 1; length--) {
                    add(tables, length, trigram, candidate, found, sums);
                }
            }
        }
        int best = -1;
        int second = -1;
        for (int language = 0; language < codes.length; language++) {
            if (!candidate[language] || sums[language] >= 0) {
                continue;
            }
            if (best < 0 || sums[language] > sums[best]) {
                second = best;
                best = language;
            } else if (second < 0 || sums[language] > sums[second]) {
                second = language;
            }
        }
        if (best < 0) {
            return List.of();
        }
        // Lingua's confidence: the best sum over each one's (both negative), 1 for the best
        if (second >= 0 && 1 - sums[best] / sums[second] < CLOSEST_SECOND) {
            return List.of();
        }
        return List.of(codes[best]);
    }

    private static void add(Tables tables, int length, String trigram, boolean[] candidate, boolean[] found,
            double[] sums) {
        int row = tables.rows().get(keyOf(trigram, length));
        if (row < 0) {
            return;
        }
        for (int entry = tables.firstEntry()[row]; entry < tables.firstEntry()[row + 1]; entry++) {
            int language = tables.entryLanguage()[entry];
            if (candidate[language] && !found[language]) {
                found[language] = true;
                sums[language] += tables.entryLogProbability()[entry];
            }
        }
    }

    /** The languages written in the script most of the text's words are written in (Lingua's first filter). */
    private boolean[] candidates(String cleaned, Character.UnicodeScript[] scripts) {
        Map<Character.UnicodeScript, Integer> wordsByScript = new HashMap<>();
        for (String word : cleaned.split(" ")) {
            Character.UnicodeScript script = word.isEmpty() ? null : scriptOfWord(word);
            if (script != null) {
                wordsByScript.merge(script, 1, Integer::sum);
            }
        }
        Character.UnicodeScript most = wordsByScript.entrySet().stream()
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        boolean[] candidate = new boolean[codes.length];
        for (int language = 0; language < codes.length; language++) {
            candidate[language] = most == null || scripts[language] == most;
        }
        return candidate;
    }

    private static Character.UnicodeScript scriptOfWord(String word) {
        Character.UnicodeScript script = null;
        for (int i = 0; i < word.length(); i++) {
            if (!Character.isLetter(word.charAt(i))) {
                continue;
            }
            Character.UnicodeScript of = Character.UnicodeScript.of(word.charAt(i));
            if (script != null && of != script) {
                return null;
            }
            script = of;
        }
        return script;
    }

    private static int count(boolean[] flags) {
        int count = 0;
        for (boolean flag : flags) {
            count += flag ? 1 : 0;
        }
        return count;
    }

    /** Reads the models now, so that the first text does not wait for them. */
    void load() {
        tables();
    }

    private static boolean allLetters(String ngram) {
        for (int i = 0; i < ngram.length(); i++) {
            if (!Character.isLetter(ngram.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The n-gram's first {@code length} UTF-16 units (up to three), and the length above them, in one long. */
    private static long keyOf(String ngram, int length) {
        long key = length;
        for (int i = 0; i < length; i++) {
            key = key << 16 | ngram.charAt(i);
        }
        return key;
    }

    /** The script of the language's most probable letter. */
    private static Character.UnicodeScript scriptOf(Long2FloatOpenHashMap model) {
        long letter = -1;
        float most = Float.NEGATIVE_INFINITY;
        for (Long2FloatMap.Entry entry : model.long2FloatEntrySet()) {
            if (entry.getLongKey() >>> 16 == 1 && entry.getFloatValue() > most) {
                most = entry.getFloatValue();
                letter = entry.getLongKey() & 0xFFFF;
            }
        }
        if (letter < 0) {
            throw new IllegalStateException("a language model without letters");
        }
        return Character.UnicodeScript.of((int) letter);
    }

    /**
     * Lingua's JSON model of one n-gram length: {"language": ..., "ngrams": {"numerator/denominator": "ngram ngram
     * ..."}}, into the n-gram's key to ln p.
     */
    private static void read(String code, String order, int length, Long2FloatOpenHashMap model) {
        String path = modelPath(code, order);
        try (InputStream in = Languages.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException(code + " names no language Lingua has a model of");
            }
            JsonParser parser = new JsonFactory().createParser(in);
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME && parser.getParsingContext().getParent()
                        .inObject() && "ngrams".equals(parser.getParsingContext().getParent().getCurrentName())) {
                    String[] fraction = parser.currentName().split("/");
                    float logProbability = (float) Math.log(Float.parseFloat(fraction[0])
                            / Integer.parseInt(fraction[1]));
                    parser.nextToken();
                    for (String ngram : parser.getText().split(" ")) {
                        // an n-gram of letters outside the 16-bit plane takes more units than it has letters
                        if (ngram.length() == length) {
                            model.put(keyOf(ngram, length), logProbability);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Lingua's model " + path, e);
        }
    }

    private static String modelPath(String code, String order) {
        return "/language-models/" + code + "/" + order + ".json";
    }

    private Tables tables() {
        Tables built = tables;
        if (built == null) {
            synchronized (this) {
                built = tables;
                if (built == null) {
                    built = read();
                    tables = built;
                }
            }
        }
        return built;
    }

    private Tables read() {
        Character.UnicodeScript[] scripts = new Character.UnicodeScript[codes.length];
        List<Long2FloatOpenHashMap> byLanguage = new ArrayList<>();
        for (int language = 0; language < codes.length; language++) {
            Long2FloatOpenHashMap model = new Long2FloatOpenHashMap();
            for (String order : ORDERS) {
                read(codes[language], order, ORDERS.indexOf(order) + 1, model);
            }
            byLanguage.add(model);
            scripts[language] = scriptOf(model);
        }
        // rows in the order first seen, each as long as the languages that have its n-gram
        Long2IntOpenHashMap rows = new Long2IntOpenHashMap();
        rows.defaultReturnValue(-1);
        IntArrayList sizes = new IntArrayList();
        for (Long2FloatOpenHashMap model : byLanguage) {
            for (long key : model.keySet()) {
                int row = rows.putIfAbsent(key, sizes.size());
                if (row < 0) {
                    sizes.add(1);
                } else {
                    sizes.set(row, sizes.getInt(row) + 1);
                }
            }
        }
        int[] firstEntry = new int[sizes.size() + 1];
        for (int row = 0; row < sizes.size(); row++) {
            firstEntry[row + 1] = firstEntry[row] + sizes.getInt(row);
        }
        int[] nextEntry = Arrays.copyOf(firstEntry, sizes.size());
        byte[] entryLanguage = new byte[firstEntry[sizes.size()]];
        float[] entryLogProbability = new float[entryLanguage.length];
        for (int language = 0; language < byLanguage.size(); language++) {
            for (Long2FloatMap.Entry ngram : byLanguage.get(language).long2FloatEntrySet()) {
                int entry = nextEntry[rows.get(ngram.getLongKey())]++;
                entryLanguage[entry] = (byte) language;
                entryLogProbability[entry] = ngram.getFloatValue();
            }
        }
        rows.trim();
        return new Tables(scripts, rows, firstEntry, entryLanguage, entryLogProbability);
    }

    /** The text up to {@link #MOST_CHARACTERS}, ending at a whole word. */
    private static String beginningOf(String text) {
        if (text.length() <= MOST_CHARACTERS) {
            return text;
        }
        int end = MOST_CHARACTERS;
        while (end > MOST_CHARACTERS / 2 && !Character.isWhitespace(text.charAt(end))) {
            end--;
        }
        return text.substring(0, end);
    }
}
