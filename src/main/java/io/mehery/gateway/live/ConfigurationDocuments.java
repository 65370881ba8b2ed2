package io.mehery.gateway.live;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.DefaultBootstrapContext;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;
import io.mehery.gateway.config.MeheryProperties;

/**
 * Configurations as the gateway reads them at start, from elsewhere: a document an operator sends (the
 * {@code mehery:} section of application.yaml, as YAML or JSON: its tenants, channels and templates are the whole of
 * those that shall run; any other key is the running one's), or the configuration files as they are now on disk. Both
 * are bound by Spring Boot's own binder, with its relaxed names and defaults, exactly as at start; the files' own
 * {@code ${...}} placeholders are resolved as at start, a document's are kept as text. A document the binder cannot read is refused with its problems, each naming its key and line.
 */
@Component
public class ConfigurationDocuments {

    /** The keys that change on a running gateway; every other key keeps its running value. */
    static final List<ConfigurationPropertyName> LIVE = List.of(ConfigurationPropertyName.of("mehery.tenants"),
            ConfigurationPropertyName.of("mehery.channels"), ConfigurationPropertyName.of("mehery.templates"),
            ConfigurationPropertyName.of("mehery.delivery.retry-schedule"),
            ConfigurationPropertyName.of("mehery.delivery.jitter"), ConfigurationPropertyName.of("mehery.delivery.breaker"),
            ConfigurationPropertyName.of("mehery.taps"), ConfigurationPropertyName.of("mehery.mappings"),
            ConfigurationPropertyName.of("mehery.tags"));

    /** Far beyond any real configuration (a thousand channels are some 30,000 values). */
    static final long MAX_VALUES = 200_000;
    private static final int MAX_ALIASES = 200;

    private final ConfigurableEnvironment running;

    public ConfigurationDocuments(ConfigurableEnvironment running) {
        this.running = running;
    }

    /** What a document could not be made into, and why. */
    public static final class Unreadable extends RuntimeException {
        private final List<String> problems;

        Unreadable(List<String> problems) {
            super(String.join("; ", problems), null, false, false);
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /** The configuration a document describes, over the running one's other keys. */
    public MeheryProperties fromDocument(String document) {
        String rooted = rooted(document);
        int added = linesAdded(document, rooted);
        List<PropertySource<?>> loaded = loaded(rooted, added);
        List<ConfigurationPropertySource> sources = new ArrayList<>();
        loaded.forEach(source -> sources.add(ConfigurationPropertySource.from(new Literal(
                (EnumerablePropertySource<?>) source))));
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(running)) {
            sources.add(source.filter(name -> LIVE.stream().noneMatch(live -> live.equals(name)
                    || live.isAncestorOf(name))));
        }
        return bind(new Binder(sources, new PropertySourcesPlaceholdersResolver(running)), added);
    }

    /** The document's keys, each with where it was written, as Spring reads YAML; refused when it is not YAML. */
    private static List<PropertySource<?>> loaded(String rooted, int linesAdded) {
        try {
            requireBounded(rooted);
            return new YamlPropertySourceLoader().load("the document", new ByteArrayResource(
                    rooted.getBytes(StandardCharsets.UTF_8), "the document"));
        } catch (IOException | RuntimeException unreadable) {
            if (unreadable instanceof Unreadable bounded) {
                throw bounded;
            }
            throw new Unreadable(List.of(yamlProblem(unreadable, linesAdded)));
        }
    }

    /** A problem and the line of the document it is about (null when it is about no line of it). */
    public record ProblemLine(String problem, Integer line) {
    }

    private static final Pattern PROBLEM_KEY = Pattern.compile("^(mehery(?:\\.[A-Za-z0-9_\\-\\[\\]]+)*)");

    /**
     * Where in {@code document} each problem is: the line a problem names, else the first line that sets its key (or
     * a key below it), as the user wrote the document.
     */
    public List<ProblemLine> linesOf(String document, List<String> problems) {
        Map<String, Integer> firstLines = new TreeMap<>();
        try {
            String rooted = rooted(document);
            int added = linesAdded(document, rooted);
            for (PropertySource<?> source : loaded(rooted, added)) {
                if (source instanceof EnumerablePropertySource<?> keys && source instanceof OriginLookup<?> origins) {
                    for (String key : keys.getPropertyNames()) {
                        @SuppressWarnings("unchecked")
                        Origin origin = ((OriginLookup<String>) origins).getOrigin(key);
                        ConfigurationProblems.lineOf(origin).ifPresent(line -> firstLines.put(key, line - added));
                    }
                }
            }
        } catch (Unreadable notYaml) {
            // its problems name their own lines
        }
        List<ProblemLine> located = new ArrayList<>();
        for (String problem : problems) {
            Matcher named = LINE_NAMED.matcher(problem);
            if (named.find()) {
                located.add(new ProblemLine(problem, Integer.parseInt(named.group(1))));
                continue;
            }
            Matcher key = PROBLEM_KEY.matcher(problem);
            located.add(new ProblemLine(problem, key.find() ? lineOfKey(key.group(1), firstLines) : null));
        }
        return located;
    }

    /** The first line that sets the key or one below it; for a key not written (one missing), its nearest parent's. */
    private static Integer lineOfKey(String key, Map<String, Integer> firstLines) {
        for (String prefix = key; prefix.contains("."); prefix = prefix.substring(0, prefix.lastIndexOf('.'))) {
            String named = prefix;
            Integer line = firstLines.entrySet().stream()
                    .filter(e -> e.getKey().equals(named) || e.getKey().startsWith(named + ".")
                            || e.getKey().startsWith(named + "["))
                    .map(Map.Entry::getValue).min(Integer::compare).orElse(null);
            if (line != null) {
                return line;
            }
        }
        return null;
    }

    private static final Pattern LINE_NAMED = Pattern.compile("\\(line (\\d+)\\)");

    /**
     * A document's values as written: a {@code ${...}} in them is text, never resolved against the environment or the
     * running configuration (whose secrets it would copy into the document, and from there into problems, versions
     * and logs). The binder's resolver still resolves the running configuration's own placeholders.
     */
    private static final class Literal extends EnumerablePropertySource<EnumerablePropertySource<?>>
            implements OriginLookup<String> {

        Literal(EnumerablePropertySource<?> document) {
            super(document.getName(), document);
        }

        @Override
        public String[] getPropertyNames() {
            return getSource().getPropertyNames();
        }

        @Override
        public Object getProperty(String name) {
            Object value = getSource().getProperty(name);
            if (value instanceof OriginTrackedValue tracked && tracked.getValue() instanceof String text) {
                return OriginTrackedValue.of(escaped(text), tracked.getOrigin());
            }
            return value instanceof String text ? escaped(text) : value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Origin getOrigin(String name) {
            return getSource() instanceof OriginLookup<?> lookup ? ((OriginLookup<String>) lookup).getOrigin(name)
                    : null;
        }

        private static String escaped(String text) {
            return text.replace("${", "\\${");
        }
    }

    /** The configuration the files on disk describe now, with the running gateway's profiles and arguments. */
    public MeheryProperties fromFiles() {
        StandardEnvironment fresh = new StandardEnvironment();
        fresh.getPropertySources().forEach(source -> fresh.getPropertySources().remove(source.getName()));
        running.getPropertySources().stream()
                .filter(source -> !source.getName().startsWith("Config resource")
                        && !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source))
                .forEach(fresh.getPropertySources()::addLast);
        fresh.setActiveProfiles(running.getActiveProfiles());
        ConfigDataEnvironmentPostProcessor.applyTo(fresh, new DefaultResourceLoader(), new DefaultBootstrapContext(),
                List.of(running.getActiveProfiles()));
        return bind(Binder.get(fresh));
    }

    /** The live part of a configuration as a document: what a version keeps, to be applied again. */
    public static Map<String, Object> documentOf(MeheryProperties properties) {
        Map<String, Object> mehery = new LinkedHashMap<>();
        mehery.put("tenants", sectionOf(properties.tenants()));
        mehery.put("channels", sectionOf(properties.channels()));
        mehery.put("templates", new TreeMap<>(properties.templates()));
        MeheryProperties.Delivery delivery = properties.delivery();
        Map<String, Object> live = new LinkedHashMap<>();
        live.put("retry-schedule", delivery.retrySchedule().stream().map(Duration::toString).toList());
        live.put("jitter", delivery.jitter());
        live.put("breaker", keysOf(delivery.breaker()));
        mehery.put("delivery", live);
        mehery.put("taps", sectionOf(properties.taps()));
        mehery.put("mappings", sectionOf(properties.mappings()));
        mehery.put("tags", keysOf(properties.tags()));
        return Map.of("mehery", mehery);
    }

    /** In the order of their ids, so that the same configuration always reads the same. */
    private static Map<String, Object> sectionOf(Map<String, ? extends Record> entries) {
        Map<String, Object> section = new TreeMap<>();
        entries.forEach((id, entry) -> section.put(id, keysOf(entry)));
        return section;
    }

    /** A record's set values under their configuration keys (kebab-case). */
    static Map<String, Object> keysOf(Record entry) {
        Map<String, Object> keys = new LinkedHashMap<>();
        for (RecordComponent component : entry.getClass().getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(entry);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (value == null || value instanceof List<?> list && list.isEmpty()
                    || value instanceof Map<?, ?> map && map.isEmpty()) {
                // an empty list or map is the default: left out, it reads back as empty
                continue;
            }
            keys.put(kebab(component.getName()), value instanceof List<?> || value instanceof Number
                    || value instanceof Boolean ? value : value instanceof Map<?, ?> map ? new TreeMap<>(map)
                    : value.toString());
        }
        return keys;
    }

    static String kebab(String javaName) {
        return javaName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The lines {@link #rooted} put before the document's own: its lines are told as the user wrote them. */
    private static int linesAdded(String document, String rooted) {
        return rooted.lines().count() > (document == null ? "" : document.strip()).lines().count() ? 1 : 0;
    }

    private static MeheryProperties bind(Binder binder) {
        return bind(binder, 0);
    }

    private static MeheryProperties bind(Binder binder, int linesAdded) {
        try {
            return binder.bindOrCreate("mehery", Bindable.of(MeheryProperties.class));
        } catch (BindException failed) {
            String key = failed.getProperty() == null ? failed.getName().toString()
                    : failed.getProperty().getName().toString();
            String where = failed.getProperty() == null ? "" : ConfigurationProblems.lineOf(failed.getProperty()
                    .getOrigin()).stream().mapToObj(line -> " (line " + (line - linesAdded) + ")").findFirst()
                    .orElse("");
            throw new Unreadable(List.of(key + where + ": " + ConfigurationProblems.rootMessage(failed)));
        }
    }

    /**
     * Refuses a document whose aliases would make it larger when read than {@value #MAX_VALUES} values: a few
     * kilobytes of nested anchors ("billion laughs") would otherwise fill the heap while it is flattened. Counted on
     * the composed nodes, each shared node once, without expanding anything.
     */
    static void requireBounded(String document) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        long values = 0;
        for (Node root : new Yaml(options).composeAll(new StringReader(document))) {
            values += expandedSize(root, new IdentityHashMap<>(), Collections.newSetFromMap(new IdentityHashMap<>()));
            if (values > MAX_VALUES) {
                throw new Unreadable(List.of("body: the document would be more than " + MAX_VALUES + " values once its"
                        + " YAML aliases were expanded; write the values out, or use fewer aliases"));
            }
        }
    }

    private static long expandedSize(Node node, Map<Node, Long> sizes, Set<Node> open) {
        Long known = sizes.get(node);
        if (known != null) {
            return known;
        }
        if (!open.add(node)) {
            throw new Unreadable(List.of("body: the document has an alias inside the node it names (a cycle)"));
        }
        long size = 1;
        if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                size = Math.min(MAX_VALUES + 1, size + expandedSize(item, sizes, open));
            }
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple entry : mapping.getValue()) {
                size = Math.min(MAX_VALUES + 1, size + expandedSize(entry.getKeyNode(), sizes, open)
                        + expandedSize(entry.getValueNode(), sizes, open));
            }
        }
        open.remove(node);
        sizes.put(node, size);
        return size;
    }

    /** A document without the {@code mehery:} root is taken as that section's content. */
    private static String rooted(String document) {
        String text = document == null ? "" : document.strip();
        if (text.isEmpty()) {
            throw new Unreadable(List.of("body: the document is empty; send the mehery section (YAML or JSON)"));
        }
        boolean hasRoot = text.startsWith("mehery:") || text.matches("(?s)\\{\\s*\"mehery\"\\s*:.*");
        return hasRoot ? text : "mehery:\n" + text.lines().map(line -> "  " + line)
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static String yamlProblem(Exception unreadable, int linesAdded) {
        return ConfigurationProblems.yamlFailure(unreadable).map(marked -> "body (line "
                + (marked.getProblemMark().getLine() + 1 - linesAdded) + "): " + marked.getProblem())
                .orElse("body: not YAML or JSON");
    }
}
