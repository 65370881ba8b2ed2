package io.mehery.gateway.broker;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
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
        // the source the native mode comes from (the first that has a mode, past the view of them all that Spring
        // Boot attaches first): application.yaml has both keys, for the embedded default, and that must not keep
        // its broker on under a mode given elsewhere
        boolean givenWithTheMode = environment.getPropertySources().stream()
                .filter(source -> !ConfigurationPropertySources.isAttachedConfigurationPropertySource(source))
                .filter(source -> source.containsProperty("spring.artemis.mode")).findFirst()
                .map(source -> source.containsProperty(EMBEDDED)).orElse(false);
        if (!givenWithTheMode) {
            environment.getPropertySources().addFirst(new MapPropertySource("mehery-external-broker",
                    Map.of(EMBEDDED, "false")));
        }
    }
}
