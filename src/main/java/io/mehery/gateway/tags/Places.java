package io.mehery.gateway.tags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The places a text names, from a gazetteer: every country by its name in English, French, German, Spanish,
 * Italian, Portuguese, Dutch and Turkish (the JDK's own country names), and the cities of {@code tags/cities.tsv}
 * (a Turkish dotted capital İ is looked up as I: İzmir is Izmir). A place
 * counts only as written with its capital letter, so "nice" is never Nice; a name that is also a common word or a
 * first name (Nice, Sydney, Jordan, Chad) counts only after a word that leads to a place ("in", "to", "from", "à",
 * "nach", "a", "para", "naar"). Cities and countries are answered by their English names; a city named brings its
 * country with it; {@code locations} are the places as the text wrote them, in its order.
 */
final class Places {

    record Found(List<String> cities, List<String> countries, List<String> locations) {
        static final Found NONE = new Found(List.of(), List.of(), List.of());
    }

    private record Place(String name, String country, boolean city, boolean needsContext) {
    }

    private static final Set<String> LEADING = Set.of("in", "to", "from", "at", "near", "via", "visiting", "into",
            "à", "a", "au", "en", "de", "depuis", "vers", "nach", "von", "aus", "bei", "para", "desde", "hacia", "da",
            "per", "em", "no", "na", "naar", "uit", "van", "bij", "for");
    /** Countries whose name is also a first name or a common word. */
    private static final Set<String> AMBIGUOUS_COUNTRIES = Set.of("Chad", "Jordan", "Georgia", "Turkey", "China",
            "Guinea", "Niger", "Israel", "Dominica", "Iran", "Oman", "Mali", "Peru", "Mısır");
    private static final List<Locale> NAMED_IN = List.of(Locale.ENGLISH, Locale.FRENCH, Locale.GERMAN,
            Locale.forLanguageTag("es"), Locale.ITALIAN, Locale.forLanguageTag("pt"), Locale.forLanguageTag("nl"),
            Locale.forLanguageTag("tr"));

    private final Map<String, Place> byName = new HashMap<>();
    /** The most words a place's name has ("Ho Chi Minh City"). */
    private final int longestName;

    Places() {
        for (String code : Locale.getISOCountries()) {
            String english = new Locale("", code).getDisplayCountry(Locale.ENGLISH);
            for (Locale language : NAMED_IN) {
                String name = new Locale("", code).getDisplayCountry(language);
                byName.putIfAbsent(key(name), new Place(english, english, false, AMBIGUOUS_COUNTRIES.contains(name)));
            }
        }
        readCities();
        this.longestName = byName.keySet().stream().mapToInt(name -> words(name).size()).max().orElse(1);
    }

    Found in(String text) {
        Set<String> cities = new LinkedHashSet<>();
        Set<String> countries = new LinkedHashSet<>();
        Set<String> locations = new LinkedHashSet<>();
        String flat = text.replaceAll("\\s+", " ");
        List<int[]> words = words(flat);
        for (int i = 0; i < words.size(); i++) {
            // the longest name first, so that "New York" is one place, not two words
            for (int n = Math.min(longestName, words.size() - i); n >= 1; n--) {
                String written = flat.substring(words.get(i)[0], words.get(i + n - 1)[1]);
                Place place = byName.get(key(written));
                if (place == null || place.needsContext() && !LEADING.contains(wordBefore(flat, words.get(i)[0]))) {
                    continue;
                }
                locations.add(written);
                if (place.city()) {
                    cities.add(place.name());
                }
                countries.add(place.country());
                i += n - 1;
                break;
            }
        }
        return locations.isEmpty() ? Found.NONE
                : new Found(List.copyOf(cities), List.copyOf(countries), List.copyOf(locations));
    }

    /** A name as the gazetteer keeps it: with I for Turkish İ, which writers use or leave out. */
    private static String key(String name) {
        return name.indexOf('İ') < 0 ? name : name.replace('İ', 'I');
    }

    /** Where each word of the text begins and ends: letters and digits, with the hyphens inside a name. */
    private static List<int[]> words(String text) {
        List<int[]> words = new ArrayList<>();
        int start = -1;
        for (int at = 0; at <= text.length(); at++) {
            boolean inWord = at < text.length() && (Character.isLetterOrDigit(text.charAt(at))
                    || text.charAt(at) == '-' && start >= 0);
            if (inWord && start < 0) {
                start = at;
            } else if (!inWord && start >= 0) {
                words.add(new int[] {start, at});
                start = -1;
            }
        }
        return words;
    }

    private static String wordBefore(String text, int at) {
        int end = at;
        while (end > 0 && !Character.isLetter(text.charAt(end - 1))) {
            end--;
        }
        int start = end;
        while (start > 0 && Character.isLetter(text.charAt(start - 1))) {
            start--;
        }
        return text.substring(start, end).toLowerCase(Locale.ROOT);
    }

    private void readCities() {
        Map<String, String> englishOf = new HashMap<>();
        for (String[] f : TabSeparated.rows("tags/cities.tsv")) {
            String country = new Locale("", f[1]).getDisplayCountry(Locale.ENGLISH);
            // the first row of a city (same country and population) gives its English name
            String english = englishOf.computeIfAbsent(f[1] + "/" + f[2], key -> f[0]);
            byName.put(key(f[0]), new Place(english, country, true, f.length > 3 && f[3].equals("context")));
        }
    }
}
