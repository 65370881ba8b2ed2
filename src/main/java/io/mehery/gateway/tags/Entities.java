package io.mehery.gateway.tags;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * People and organisations named in a text, when no entities service is configured: no named-entity model for the
 * JVM is served by the registries this project builds from. A heuristic, documented and tested, not a model:
 * <ul>
 * <li>a person is a capitalised name (and a capitalised surname after it) right after a greeting, a thanks or an
 * introduction: "thanks Maria", "merci Anne", "danke Jonas", "my name is Ana Silva", "je m'appelle Paul"; or,
 * anywhere, a first name of {@code tags/first-names.tsv} written with its capital (and a capitalised surname after
 * it): "Priya sorted it out", "Lucía Gómez me atendió";</li>
 * <li>an organisation is a run of capitalised words ending in a company's form or kind: "Acme Ltd", "Globex GmbH",
 * "Banco Santander", "Royal Air Maroc Airlines".</li>
 * </ul>
 * Names that neither pattern frames (Lufthansa alone) need {@code mehery.tags.entities-uri}.
 */
final class Entities {

    record Found(List<String> persons, List<String> organizations) {
        static final Found NONE = new Found(List.of(), List.of());
    }

    private static final String NAME = "\\p{Lu}[\\p{L}'-]+";
    private static final Pattern PERSON = Pattern.compile("(?i:\\b(?:thanks|thank you|thx|cheers|dear|hi|hello|hey"
            + "|merci|bonjour|salut|danke|hallo|gracias|hola|grazie|ciao|obrigad[oa]|olá|ola|bedankt|dank je"
            + "|my name is|i am|i'm|this is|je m'appelle|je suis|ich bin|ich heiße|me llamo|soy|mi chiamo|sono"
            + "|meu nome é|eu sou|ik ben|mijn naam is))[,:]?\\s+(" + NAME + "(?:\\s+" + NAME + ")?)");
    private static final Pattern ORGANIZATION = Pattern.compile("((?:" + NAME + "\\s+){0,3}" + NAME
            + ")\\s+(Inc\\.?|Ltd\\.?|LLC|GmbH|AG|S\\.?A\\.?|SAS|SARL|plc|Corp\\.?|Corporation|Company|Bank|Airlines"
            + "|Airways|Group|Holding|Telecom)\\b");
    private static final Pattern BANK_FIRST = Pattern.compile("\\b((?:Banco|Banque|Bank|Banca)\\s+" + NAME + ")");
    /**
     * Words that open a sentence or are pronouns, never a name after a greeting; and the Turkish honorifics that
     * follow a first name (Mehmet Bey, Zeynep Hanım), never a surname.
     */
    private static final Set<String> NOT_NAMES = Set.of("I", "You", "We", "They", "The", "A", "For", "So", "And",
            "But", "Again", "Everyone", "All", "Team", "There", "Je", "Ich", "Yo", "Io", "Eu", "Ik", "Bey", "Hanım",
            "Hanim", "Efendi");

    private static final Pattern CAPITALISED = Pattern.compile("(?<![\\p{L}'-])(" + NAME + ")(?:\\s+(" + NAME
            + "))?");

    private final Set<String> firstNames = new HashSet<>();

    Entities() {
        TabSeparated.rows("tags/first-names.tsv").forEach(row -> firstNames.add(row[0]));
    }

    Found in(String text) {
        Set<String> persons = new LinkedHashSet<>();
        Matcher person = PERSON.matcher(text);
        while (person.find()) {
            String name = person.group(1);
            String first = name.split("\\s+")[0];
            if (!NOT_NAMES.contains(first)) {
                persons.add(name);
            }
        }
        Matcher capitalised = CAPITALISED.matcher(text).useTransparentBounds(true);
        while (capitalised.find()) {
            String first = capitalised.group(1);
            String second = capitalised.group(2);
            boolean surname = second != null && !NOT_NAMES.contains(second) && !firstNames.contains(second);
            if (second != null && !(surname && firstNames.contains(first))) {
                // the second word may be a first name of its own ("Thanks Anna", "Jean Pierre")
                capitalised.region(capitalised.start(2), text.length());
            }
            if (firstNames.contains(first) && persons.stream().noneMatch(found -> found.startsWith(first))) {
                persons.add(surname ? first + " " + second : first);
            }
        }
        Set<String> organizations = new LinkedHashSet<>();
        Matcher org = ORGANIZATION.matcher(text);
        while (org.find()) {
            organizations.add(org.group(1) + " " + org.group(2));
        }
        Matcher bank = BANK_FIRST.matcher(text);
        while (bank.find()) {
            organizations.add(bank.group(1));
        }
        return persons.isEmpty() && organizations.isEmpty() ? Found.NONE
                : new Found(new ArrayList<>(persons), new ArrayList<>(organizations));
    }
}
