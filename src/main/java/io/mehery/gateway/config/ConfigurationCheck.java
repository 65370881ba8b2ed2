package io.mehery.gateway.config;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

    /**
     * Each route file alone (its YAML and the route model it makes), then all of them together, as the gateway
     * loads them: a templated route names a template of another file.
     */
    private static void routes(Path routes, List<String> problems) {
        if (!Files.isDirectory(routes)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(routes)) {
            files = listed.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            problems.add(routes + ": cannot be read: " + e.getMessage());
            return;
        }
        boolean eachLoads = true;
        for (Path file : files) {
            try {
                load(List.of(file));
            } catch (Exception invalid) {
                if (!ConfigurationProblems.rootMessage(invalid).startsWith(MISSING_TEMPLATE)) {
                    problems.add(file + ":" + lineOf(invalid) + ": " + ConfigurationProblems.rootMessage(invalid));
                    eachLoads = false;
                }
            }
        }
        if (!eachLoads) {
            return;
        }
        try {
            load(files);
        } catch (Exception invalid) {
            String message = ConfigurationProblems.rootMessage(invalid);
            problems.add(referringFile(files, message) + ": " + message);
        }
    }

    private static void load(List<Path> files) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            List<Resource> resources = new ArrayList<>();
            for (Path file : files) {
                resources.add(ResourceHelper.resolveResource(camel, "file:" + file.toAbsolutePath()));
            }
            PluginHelper.getRoutesLoader(camel).loadRoutes(resources.toArray(Resource[]::new));
        }
    }

    /** The file (and line) that names the template a failure says is missing. */
    private static String referringFile(List<Path> files, String message) {
        if (message.startsWith(MISSING_TEMPLATE)) {
            String template = message.substring(MISSING_TEMPLATE.length()).trim();
            for (Path file : files) {
                try {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        if (lines.get(i).matches("\\s*routeTemplateRef:\\s*\"?" + Pattern.quote(template)
                                + "\"?\\s*")) {
                            return file + ":" + (i + 1);
                        }
                    }
                } catch (IOException unreadable) {
                    return file + ":1";
                }
            }
        }
        return files.isEmpty() ? "routes:1" : files.get(0).getParent() + ":1";
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
