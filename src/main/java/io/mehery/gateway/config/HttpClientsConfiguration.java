package io.mehery.gateway.config;

import java.time.Duration;

import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's two HTTP clients, as Camel components: {@code webhook:} for callbacks to clients and
 * {@code provider:} for calls to messaging providers, each with its own connection pool and timeout. Neither
 * follows redirects (a redirect could lead inside the network) nor retries on its own: every try is one the
 * gateway schedules and records.
 */
@Configuration
public class HttpClientsConfiguration {

    @Bean("webhook")
    HttpComponent webhookHttp(MeheryProperties properties) {
        return client(properties.delivery().timeout(), properties.delivery().concurrencyPerTenant() * 2);
    }

    @Bean("provider")
    HttpComponent providerHttp(@Value("${mehery.providers.timeout:20s}") Duration timeout) {
        return client(timeout, 20);
    }

    private static HttpComponent client(Duration timeout, int connectionsPerRoute) {
        int millis = Math.toIntExact(timeout.toMillis());
        HttpComponent http = new HttpComponent();
        http.setConnectTimeout(millis);
        http.setConnectionRequestTimeout(millis);
        http.setResponseTimeout(millis);
        http.setSoTimeout(millis);
        http.setFollowRedirects(false);
        http.setRedirectHandlingDisabled(true);
        http.setHttpClientConfigurer(HttpClientBuilder::disableAutomaticRetries);
        http.setConnectionsPerRoute(connectionsPerRoute);
        return http;
    }
}
