package io.mehery.gateway.config;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With an external broker ({@code spring.artemis.mode=native}) no embedded broker starts beside it: Spring Boot
 * starts one whenever {@code spring.artemis.embedded.enabled} is true (application.yaml sets it for the default
 * run), whatever the mode. An explicit {@code spring.artemis.embedded.enabled} given with the native mode (on the
 * command line, in the environment) still wins.
 */
public class ExternalBrokerDefaults implements EnvironmentPostProcessor {

    private static final String EMBEDDED = "spring.artemis.embedded.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!"native".equalsIgnoreCase(environment.getProperty("spring.artemis.mode"))) {
            return;
        }
        boolean givenWithTheMode = environment.getPropertySources().stream().anyMatch(source ->
                source.containsProperty("spring.artemis.mode") && source.containsProperty(EMBEDDED));
        if (!givenWithTheMode) {
            environment.getPropertySources().addFirst(new MapPropertySource("mehery-external-broker",
                    Map.of(EMBEDDED, "false")));
        }
    }
}
