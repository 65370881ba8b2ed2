package io.mehery.gateway.delivery;

import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mehery.gateway.config.MeheryProperties;

/**
 * The HTTP client of the callbacks, as the Camel component {@code webhook:}: its own connection pool, the
 * per-attempt {@code mehery.delivery.timeout}, no redirects (a redirect could lead inside the network) and no
 * retries of its own.
 */
@Configuration
public class WebhookHttpConfiguration {

    @Bean("webhook")
    HttpComponent webhookHttp(MeheryProperties properties) {
        int timeout = Math.toIntExact(properties.delivery().timeout().toMillis());
        HttpComponent http = new HttpComponent();
        http.setConnectTimeout(timeout);
        http.setConnectionRequestTimeout(timeout);
        http.setResponseTimeout(timeout);
        http.setSoTimeout(timeout);
        http.setFollowRedirects(false);
        http.setRedirectHandlingDisabled(true);
        // every try is an attempt of the schedule, recorded and signed anew: the client library must not add its own
        http.setHttpClientConfigurer(HttpClientBuilder::disableAutomaticRetries);
        http.setConnectionsPerRoute(properties.delivery().concurrencyPerTenant() * 2);
        return http;
    }
}
