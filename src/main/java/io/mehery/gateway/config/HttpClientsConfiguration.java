package io.mehery.gateway.config;

import java.time.Duration;

import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.socket.ConnectionSocketFactory;
import org.apache.hc.core5.http.config.Registry;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mehery.gateway.delivery.WebhookTargets;

/**
 * The gateway's two HTTP clients, as Camel components: {@code webhook:} for callbacks to clients and
 * {@code provider:} for calls to messaging providers, each with its own connection pool and timeout. Neither
 * follows redirects (a redirect could lead inside the network) nor retries on its own: every try is one the
 * gateway schedules and records.
 */
@Configuration
public class HttpClientsConfiguration {

    /** Connects only to addresses the SSRF guard let through (resolved once, checked, then connected to). */
    @Bean("webhook")
    HttpComponent webhookHttp(MeheryProperties properties) {
        DnsResolver guarded = WebhookTargets.resolver(properties.webhooks().allowPrivateTargets());
        return client(new HttpComponent() {
            @Override
            protected HttpClientConnectionManager createConnectionManager(Registry<ConnectionSocketFactory> registry,
                    int maxTotalConnections, int connectionsPerRoute, SocketConfig socketConfig) {
                PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager(registry,
                        PoolConcurrencyPolicy.STRICT, PoolReusePolicy.LIFO,
                        TimeValue.ofMilliseconds(getConnectionTimeToLive()), null, guarded, null);
                if (maxTotalConnections > 0) {
                    connections.setMaxTotal(maxTotalConnections);
                }
                if (connectionsPerRoute > 0) {
                    connections.setDefaultMaxPerRoute(connectionsPerRoute);
                }
                connections.setDefaultSocketConfig(socketConfig);
                return connections;
            }
        }, properties.delivery().timeout(), properties.delivery().concurrencyPerTenant() * 2);
    }

    @Bean("provider")
    HttpComponent providerHttp(@Value("${mehery.providers.timeout:20s}") Duration timeout) {
        return client(new HttpComponent(), timeout, 20);
    }

    private static HttpComponent client(HttpComponent http, Duration timeout, int connectionsPerRoute) {
        int millis = Math.toIntExact(timeout.toMillis());
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
