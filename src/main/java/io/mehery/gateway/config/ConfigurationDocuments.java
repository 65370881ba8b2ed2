package io.mehery.gateway.config;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.stereotype.Component;

/**
 * Configurations as the gateway reads them at start, from elsewhere: a document an operator sends (the
 * {@code mehery:} section of application.yaml, as YAML or JSON: its tenants, channels and templates are the whole of
 * those that shall run; any other key is the running one's), or the configuration files as they are now on disk. Both
 * are bound by Spring Boot's own binder, with its relaxed names, defaults and {@code ${...}} placeholders, exactly as
 * at start. A document the binder cannot read is refused with its problems, each naming its key and line.
 */
@Component
public class ConfigurationDocuments {

    /** The keys that change on a running gateway; every other key keeps its running value. */
    static final List<ConfigurationPropertyName> LIVE = List.of(ConfigurationPropertyName.of("mehery.tenants"),
            ConfigurationPropertyName.of("mehery.channels"), ConfigurationPropertyName.of("mehery.templates"),
            ConfigurationPropertyName.of("mehery.delivery.retry-schedule"),
            ConfigurationPropertyName.of("mehery.delivery.jitter"), ConfigurationPropertyName.of("mehery.delivery.breaker"),
            ConfigurationPropertyName.of("mehery.taps"), ConfigurationPropertyName.of("mehery.mappings"));

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
        List<PropertySource<?>> loaded;
        try {
            loaded = new YamlPropertySourceLoader().load("the document", new ByteArrayResource(
                    rooted(document).getBytes(StandardCharsets.UTF_8), "the document"));
        } catch (IOException | RuntimeException unreadable) {
            throw new Unreadable(List.of(yamlProblem(unreadable)));
        }
        List<ConfigurationPropertySource> sources = new ArrayList<>();
        loaded.forEach(source -> sources.add(ConfigurationPropertySource.from(source)));
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(running)) {
            sources.add(source.filter(name -> LIVE.stream().noneMatch(live -> live.equals(name)
                    || live.isAncestorOf(name))));
        }
        return bind(new Binder(sources, new PropertySourcesPlaceholdersResolver(running)));
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
            if (value == null || value instanceof List<?> list && list.isEmpty()) {
                // an empty list is the default: left out, it reads back as empty
                continue;
            }
            keys.put(kebab(component.getName()), value instanceof List<?> || value instanceof Number
                    || value instanceof Boolean ? value : value.toString());
        }
        return keys;
    }

    static String kebab(String javaName) {
        return javaName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static MeheryProperties bind(Binder binder) {
        try {
            return binder.bindOrCreate("mehery", Bindable.of(MeheryProperties.class));
        } catch (BindException failed) {
            String key = failed.getProperty() == null ? failed.getName().toString()
                    : failed.getProperty().getName().toString();
            String where = failed.getProperty() == null ? "" : ConfigurationProblems.lineOf(failed.getProperty()
                    .getOrigin()).stream().mapToObj(line -> " (line " + line + ")").findFirst().orElse("");
            throw new Unreadable(List.of(key + where + ": " + ConfigurationProblems.rootMessage(failed)));
        }
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

    private static String yamlProblem(Exception unreadable) {
        return ConfigurationProblems.yamlFailure(unreadable).map(marked -> "body (line "
                + (marked.getProblemMark().getLine() + 1) + "): " + marked.getProblem())
                .orElse("body: not YAML or JSON");
    }
}
