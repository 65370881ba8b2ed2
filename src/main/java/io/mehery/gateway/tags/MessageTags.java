package io.mehery.gateway.tags;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.model.Tags;
import io.mehery.gateway.config.LiveConfiguration;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.store.MessageRecord;

/**
 * The tags of an inbound message's text (its text, a file's caption, a button's title): its language, its
 * sentiment, the places it names, the people and organisations it names (from {@code mehery.tags.entities-uri} when
 * set, answering within {@code entities-timeout}; else, or when it fails, {@link Entities}' heuristic), and the
 * categories of {@code mehery.tags.categories} whose rules match. Computed off the request thread, when the
 * message's callback is first made. A masked message gets its language and sentiment only: no name or place taken
 * from its text. A tenant with {@code tags: false}, or {@code mehery.tags.enabled: false}, gets none.
 */
@Component("messageTags")
public class MessageTags implements LiveConfiguration.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(MessageTags.class);

    /** The configured rules, compiled once per configuration: every tenant's, and each tenant's own. */
    private record Settings(MeheryProperties.Tags tags, Languages languages, Map<String, List<Rule>> categories,
            Map<String, Map<String, List<Rule>>> tenantCategories) {

        /** The categories a tenant's messages are sorted into: every tenant's, then its own. */
        Map<String, List<Rule>> of(String tenantId) {
            Map<String, List<Rule>> own = tenantId == null ? Map.of() : tenantCategories.getOrDefault(tenantId, Map.of());
            if (own.isEmpty()) {
                return categories;
            }
            Map<String, List<Rule>> both = new LinkedHashMap<>(categories);
            own.forEach((name, rules) -> both.merge(name, rules, (a, b) -> {
                List<Rule> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            }));
            return both;
        }
    }

    private interface Rule {
        boolean matches(String text, List<String> langs, String sentiment);
    }

    private final LiveConfiguration live;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final Sentiments sentiments = new Sentiments();
    private final Places places = new Places();
    private final Entities heuristic = new Entities();
    private final ExecutorService entityCalls = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "tag-entities");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Settings settings;
    private final AtomicLong entityFailures = new AtomicLong();
    private final AtomicLong lastFailureLogged = new AtomicLong(Long.MIN_VALUE / 2);

    public MessageTags(LiveConfiguration live, ProducerTemplate producer, ObjectMapper json) {
        this.live = live;
        this.producer = producer;
        this.json = json;
        this.settings = settingsOf(live.current().tags(), null);
    }

    /** The language models are read once the gateway serves, in the background: not by the first callback. */
    @EventListener(ApplicationReadyEvent.class)
    public void readLanguageModels() {
        if (settings.tags().enabled()) {
            CompletableFuture.runAsync(() -> settings.languages().load());
        }
    }

    @Override
    public void changed(MeheryProperties previous, MeheryProperties next) {
        if (!previous.tags().equals(next.tags())) {
            settings = settingsOf(next.tags(), settings);
        }
    }

    /** The tags kept with a message (JSON), as its callback carried them. */
    public Tags kept(String messageId, String kept) {
        try {
            return json.readValue(kept, Tags.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the tags kept for message " + messageId + " are not JSON", e);
        }
    }

    /** The tags of an inbound message; none for an outbound one, or where tagging is off. */
    public Tags of(MessageRecord message) {
        return of(message, true);
    }

    /**
     * As {@link #of(MessageRecord)}, without asking the entities service: for a history read of a message whose
     * callback was not made yet (a read must not wait on the service once per message).
     */
    public Tags locally(MessageRecord message) {
        return of(message, false);
    }

    private Tags of(MessageRecord message, boolean askService) {
        MeheryProperties.Tenant tenant = live.tenants().get(message.tenantId());
        Settings current = settings;
        String text = textOf(message);
        if (message.direction() != MessageRecord.Direction.INBOUND || !current.tags().enabled() || tenant == null
                || !tenant.tagged() || text == null || text.isBlank()) {
            return Tags.NONE;
        }
        return of(message.tenantId(), text, message.masked(), current, askService);
    }

    /** The tags of a text, as an inbound message of a tagged tenant would get them. */
    public Tags of(String text, boolean masked) {
        return of(null, text, masked, settings, true);
    }

    private Tags of(String tenantId, String text, boolean masked, Settings current, boolean askService) {
        List<String> langs = current.languages().of(text);
        Sentiments.Sentiment sentiment = sentiments.of(text);
        if (masked) {
            return new Tags(List.of(), List.of(), List.of(), langs, List.of(), List.of(), List.of(),
                    sentiment.score(), List.of(sentiment.label()));
        }
        Places.Found place = places.in(text);
        Entities.Found named = askService ? entities(text, langs, current.tags()) : heuristic.in(text);
        List<String> categories = new ArrayList<>();
        current.of(tenantId).forEach((name, rules) -> {
            if (rules.stream().anyMatch(rule -> rule.matches(text, langs, sentiment.label()))) {
                categories.add(name);
            }
        });
        return new Tags(categories, place.cities(), place.countries(), langs, place.locations(),
                named.organizations(), named.persons(), sentiment.score(), List.of(sentiment.label()));
    }

    /** The configured service's people and organisations, else (none set, an error, too slow) the heuristic's. */
    private Entities.Found entities(String text, List<String> langs, MeheryProperties.Tags tags) {
        if (tags.entitiesUri() == null || tags.entitiesUri().isBlank()) {
            return heuristic.in(text);
        }
        Future<String> call = entityCalls.submit(() -> producer.requestBodyAndHeader(tags.entitiesUri(),
                json.writeValueAsString(Map.of("text", text, "langs", langs)), "Content-Type", "application/json",
                String.class));
        try {
            JsonNode answer = json.readTree(call.get(tags.entitiesTimeout().toMillis(), TimeUnit.MILLISECONDS));
            return new Entities.Found(strings(answer.path("persons")), strings(answer.path("organizations")));
        } catch (Exception failed) {
            call.cancel(true);
            long failures = entityFailures.incrementAndGet();
            long now = System.currentTimeMillis();
            long last = lastFailureLogged.get();
            // once a minute at most: a service that is down would otherwise log once per message
            if (now - last >= 60_000 && lastFailureLogged.compareAndSet(last, now)) {
                LOG.warn("The entities service did not answer usably ({}; {} times since this instance started):"
                        + " the heuristic's people and organisations are used", failed.getClass().getSimpleName(),
                        failures);
            }
            return heuristic.in(text);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> found = new ArrayList<>();
        array.forEach(item -> {
            if (item.isTextual() && !item.asText().isBlank()) {
                found.add(item.asText());
            }
        });
        return found;
    }

    /** Its text; for a file, its caption; for a button's answer, its title. */
    private String textOf(MessageRecord message) {
        if (message.text() != null && !message.text().isBlank()) {
            return message.text();
        }
        if (message.content() == null) {
            return null;
        }
        try {
            JsonNode content = json.readTree(message.content());
            for (String field : List.of("caption", "title", "body")) {
                if (content.path(field).isTextual()) {
                    return content.path(field).asText();
                }
            }
        } catch (Exception notJson) {
            return null;
        }
        return null;
    }

    /** What keeps these settings from running: a language Lingua does not know, a rule that does not compile. */
    public static List<String> problems(MeheryProperties.Tags tags) {
        List<String> problems = new ArrayList<>();
        if (tags.languages().size() < 2) {
            problems.add("mehery.tags.languages: name at least two languages to tell apart");
        }
        for (String code : tags.languages()) {
            try {
                Languages.requireKnown(code);
            } catch (IllegalArgumentException unknown) {
                problems.add("mehery.tags.languages: " + code + " is not an ISO 639-1 code of a language Lingua"
                        + " has a model of");
            }
        }
        rulesProblems("mehery.tags.categories.", tags.categories(), problems);
        tags.tenantCategories().forEach((tenant, categories) -> rulesProblems("mehery.tags.tenant-categories."
                + tenant + ".", categories, problems));
        return problems;
    }

    private static void rulesProblems(String key, Map<String, List<String>> categories, List<String> problems) {
        categories.forEach((name, rules) -> rules.forEach(rule -> {
            try {
                ruleOf(rule);
            } catch (PatternSyntaxException wrong) {
                problems.add(key + name + ": " + rule + " is not a regular expression: " + wrong.getDescription());
            }
        }));
    }

    /** The settings of these tags; the languages' tables of the previous ones when the languages are the same. */
    private static Settings settingsOf(MeheryProperties.Tags tags, Settings previous) {
        Map<String, Map<String, List<Rule>>> tenantCategories = new LinkedHashMap<>();
        tags.tenantCategories().forEach((tenant, categories) -> tenantCategories.put(tenant, compiled(categories)));
        Languages languages = previous != null && previous.tags().languages().equals(tags.languages())
                ? previous.languages() : new Languages(tags.languages());
        return new Settings(tags, languages, compiled(tags.categories()), tenantCategories);
    }

    private static Map<String, List<Rule>> compiled(Map<String, List<String>> categories) {
        Map<String, List<Rule>> compiled = new LinkedHashMap<>();
        new TreeMap<>(categories).forEach((name, rules) -> compiled.put(name,
                rules.stream().map(MessageTags::ruleOf).toList()));
        return compiled;
    }

    /** {@code lang:xx}, {@code sentiment:label}, a {@code /regular expression/}, or a keyword or phrase. */
    private static Rule ruleOf(String rule) {
        if (rule.startsWith("lang:")) {
            String lang = rule.substring(5);
            return (text, langs, sentiment) -> langs.contains(lang);
        }
        if (rule.startsWith("sentiment:")) {
            String wanted = rule.substring(10);
            return (text, langs, sentiment) -> sentiment.equals(wanted);
        }
        Pattern pattern = rule.length() > 2 && rule.startsWith("/") && rule.endsWith("/")
                ? Pattern.compile(rule.substring(1, rule.length() - 1), Pattern.CASE_INSENSITIVE
                        | Pattern.UNICODE_CASE)
                : Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(rule) + "(?![\\p{L}\\p{N}])",
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return (text, langs, sentiment) -> pattern.matcher(text).find();
    }
}
