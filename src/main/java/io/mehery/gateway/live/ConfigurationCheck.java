package io.mehery.gateway.live;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.springframework.boot.DefaultBootstrapContext;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import io.mehery.gateway.config.MeheryProperties;

/**
 * {@code java -jar mehery-gateway.jar validate <dir> [--spring.profiles.active=...]}: the checks a running gateway
 * makes before a change, offline, for a CI pipeline. {@code <dir>/application.yaml} (and {@code <dir>/config/}) is
 * bound as at start and checked against every configuration rule; each {@code <dir>/routes/*.yaml} is read by
 * Camel's YAML DSL into its route model. Every problem is printed as {@code file:line: problem}; the exit code is 0
 * when there is none, 1 otherwise.
 */
public final class ConfigurationCheck {

    private static final String MISSING_TEMPLATE = "Cannot find RouteTemplate with id";

    private ConfigurationCheck() {
    }

    public static int run(Path dir, List<String> profiles, PrintStream out) {
        List<String> problems = new ArrayList<>();
        configuration(dir, profiles, problems);
        routes(dir.resolve("routes"), problems);
        problems.forEach(out::println);
        out.println(problems.isEmpty() ? "valid: " + dir : problems.size() + " problem(s) in " + dir);
        return problems.isEmpty() ? 0 : 1;
    }

    private static void configuration(Path dir, List<String> profiles, List<String> problems) {
        Path file = dir.resolve("application.yaml");
        if (!Files.isRegularFile(file)) {
            problems.add(file + ": no application.yaml in the folder");
            return;
        }
        StandardEnvironment environment = new StandardEnvironment();
        // the folder's files only (a property of this environment: the JVM's system properties stay as they are)
        environment.getPropertySources().addFirst(new MapPropertySource("validate", Map.of("spring.config.location",
                "optional:file:" + dir.toAbsolutePath() + "/application.yaml,optional:file:" + dir.toAbsolutePath()
                        + "/config/")));
        environment.setActiveProfiles(profiles.toArray(String[]::new));
        try {
            ConfigDataEnvironmentPostProcessor.applyTo(environment, new DefaultResourceLoader(),
                    new DefaultBootstrapContext(), profiles);
        } catch (RuntimeException unreadable) {
            problems.add(file + ":" + lineOf(unreadable) + ": " + ConfigurationProblems.rootMessage(unreadable));
            return;
        }
        MeheryProperties properties;
        try {
            properties = Binder.get(environment).bindOrCreate("mehery", Bindable.of(MeheryProperties.class));
        } catch (BindException failed) {
            String where = failed.getProperty() == null ? file + ":1" : where(failed.getProperty().getOrigin(), file);
            problems.add(where + ": " + failed.getName() + ": " + ConfigurationProblems.rootMessage(failed));
            return;
        }
        for (String problem : ConfigurationRules.problems(properties)) {
            problems.add(whereKey(environment, ConfigurationRules.keyOf(problem), file) + ": " + problem);
        }
    }

    private static void routes(Path routes, List<String> problems) {
        if (Files.isDirectory(routes)) {
            try {
                problems.addAll(routeProblems(routes, RouteFiles.read(routes)));
            } catch (IllegalStateException unreadable) {
                problems.add(routes + ": " + unreadable.getMessage());
            }
        }
    }

    /**
     * The route files loaded together, as the gateway loads them (a templated route names a template of another
     * file); when that fails, each file alone (its YAML and the route model it makes), to name the file at fault.
     * Each problem as {@code file:line: problem}.
     *
     * @param texts the files' texts by name, in the folder {@code folder}
     */
    static List<String> routeProblems(Path folder, Map<String, String> texts) {
        Exception together;
        try {
            load(texts);
            return List.of();
        } catch (Exception invalid) {
            together = invalid;
        }
        List<String> problems = new ArrayList<>();
        for (var file : texts.entrySet()) {
            try {
                load(Map.of(file.getKey(), file.getValue()));
            } catch (Exception invalid) {
                if (!ConfigurationProblems.rootMessage(invalid).startsWith(MISSING_TEMPLATE)) {
                    problems.add(folder.resolve(file.getKey()) + ":" + lineOf(invalid) + ": "
                            + ConfigurationProblems.rootMessage(invalid));
                }
            }
        }
        if (problems.isEmpty()) {
            String message = ConfigurationProblems.rootMessage(together);
            problems.add(referringFile(folder, texts, message) + ": " + message);
        }
        return problems;
    }

    private static void load(Map<String, String> texts) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            // a context that only reads the files: its start and stop are nothing to log
            camel.setStartupSummaryLevel(StartupSummaryLevel.Off);
            List<Resource> resources = new ArrayList<>();
            texts.forEach((name, text) -> resources.add(ResourceHelper.fromString(name, text)));
            PluginHelper.getRoutesLoader(camel).loadRoutes(resources.toArray(Resource[]::new));
        }
    }

    /** The file (and line) that names the template a failure says is missing. */
    private static String referringFile(Path folder, Map<String, String> texts, String message) {
        if (message.startsWith(MISSING_TEMPLATE)) {
            String template = message.substring(MISSING_TEMPLATE.length()).trim();
            for (var file : texts.entrySet()) {
                List<String> lines = file.getValue().lines().toList();
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).matches("\\s*routeTemplateRef:\\s*\"?" + Pattern.quote(template)
                            + "\"?\\s*")) {
                        return folder.resolve(file.getKey()) + ":" + (i + 1);
                    }
                }
            }
        }
        return folder + ":1";
    }

    /** Where a key was set; for a key that is missing, where the entry it belongs to begins. */
    private static String whereKey(StandardEnvironment environment, String key, Path file) {
        for (String candidate = key; candidate.contains("."); candidate = candidate.substring(0,
                candidate.lastIndexOf('.'))) {
            if (!ConfigurationPropertyName.isValid(candidate)) {
                continue;
            }
            ConfigurationPropertyName name = ConfigurationPropertyName.of(candidate);
            for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
                ConfigurationProperty property = source.getConfigurationProperty(name);
                if (property != null) {
                    return where(property.getOrigin(), file);
                }
                if (source instanceof IterableConfigurationPropertySource iterable) {
                    var child = iterable.stream().filter(name::isAncestorOf).findFirst();
                    if (child.isPresent()) {
                        return where(source.getConfigurationProperty(child.get()).getOrigin(), file);
                    }
                }
            }
        }
        return file + ":1";
    }

    private static String where(Origin origin, Path file) {
        Origin underlying = origin instanceof PropertySourceOrigin wrapped ? wrapped.getOrigin() : origin;
        String resource = underlying instanceof TextResourceOrigin text && text.getResource() != null
                ? text.getResource().getDescription().replaceFirst("^URL \\[file:(.*)]$", "$1")
                        .replaceFirst("^file \\[(.*)]$", "$1") : file.toString();
        return resource + ":" + ConfigurationProblems.lineOf(origin).orElse(1);
    }

    private static int lineOf(Throwable failure) {
        return ConfigurationProblems.lineOf(failure).orElse(1);
    }
}
