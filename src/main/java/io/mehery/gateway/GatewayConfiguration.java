package io.mehery.gateway;

import java.time.Clock;
import java.util.List;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mehery.gateway.config.InvalidConfiguration;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.live.ConfigurationRules;
import io.mehery.gateway.security.Tenants;
import io.micrometer.core.instrument.config.MeterFilter;

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

    /**
     * Endpoint URIs in metric tags (Camel's route and exchange metrics name the endpoints a route sends to: a tap's
     * URL, a mailbox) without their user info and query, where a credential could stand.
     */
    @Bean
    MeterFilter endpointsWithoutCredentials() {
        return MeterFilter.replaceTagValues("endpointName", GatewayConfiguration::withoutCredentials);
    }

    static String withoutCredentials(String uri) {
        String bare = uri.replaceAll("//[^/@?]*@", "//");
        int query = bare.indexOf('?');
        return query < 0 ? bare : bare.substring(0, query);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
