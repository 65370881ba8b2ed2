package io.mehery.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every exchange property a route reads or sets is one RouteProperties declares, so YAML and Java agree on it. */
class RoutePropertiesTest {

    private static final Pattern READ = Pattern.compile("exchangeProperty\\.([A-Za-z]+)");
    private static final Pattern SET = Pattern.compile("- setProperty:\\s*\\n\\s*name: ([A-Za-z]+)");

    @Test
    void everyPropertyTheRoutesNameIsDeclared() throws IOException {
        Set<String> declared = Arrays.stream(RouteProperties.class.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers())).map(RoutePropertiesTest::value)
                .collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String yaml = Files.readString(file);
                for (Pattern pattern : new Pattern[] {READ, SET}) {
                    Matcher m = pattern.matcher(yaml);
                    while (m.find()) {
                        named.add(m.group(1));
                    }
                }
            }
        }
        assertThat(named).isNotEmpty();
        assertThat(declared).containsAll(named);
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
