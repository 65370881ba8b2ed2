package io.mehery.gateway.config;

import java.time.Clock;
import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mehery.gateway.security.Tenants;

@Configuration
@EnableConfigurationProperties(MeheryProperties.class)
public class GatewayConfiguration {

    /** Refuses to start on a configuration that breaks a rule (one tenant acting as another, a channel unusable). */
    @Bean
    Tenants tenants(MeheryProperties properties) {
        List<String> problems = ConfigurationRules.problems(properties);
        if (!problems.isEmpty()) {
            throw new InvalidConfiguration(String.join("\n", problems));
        }
        return new Tenants(properties.tenants());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
