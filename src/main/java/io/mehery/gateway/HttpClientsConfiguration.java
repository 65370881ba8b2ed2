package io.mehery.gateway;

import java.time.Duration;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
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

import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.security.WebhookTargets;

/**
 * The gateway's HTTP clients, as Camel components: {@code webhook:} for the taps' client endpoints,
 * {@code provider:} for calls to messaging providers at their configured {@code base-url}, and {@code media:} for
 * files at the hosts a provider's event links to; each with its own connection pool and timeout. None follows
 * redirects (a redirect could lead inside the network) nor retries on its own (every try is one the gateway
 * schedules and records), nor sends the gateway's own headers (its breadcrumb id) out.
 */
@Configuration
public class HttpClientsConfiguration {

    /**
     * The taps' HTTP endpoints (callbacks have an asynchronous client of their own, delivery.WebhookCalls): connects
     * only to addresses the SSRF guard let through (resolved once, checked, then connected to).
     */
    @Bean("webhook")
    HttpComponent webhookHttp(MeheryProperties properties) {
        return client(guarded(properties), properties.delivery().timeout(), 20);
    }

    /** A provider's files at hosts its events name: the same guard as the webhooks'. */
    @Bean("media")
    HttpComponent mediaHttp(MeheryProperties properties, @Value("${mehery.providers.timeout:20s}") Duration timeout) {
        return client(guarded(properties), timeout, 20);
    }

    private static HttpComponent guarded(MeheryProperties properties) {
        DnsResolver guarded = WebhookTargets.resolver(properties.webhooks().allowPrivateTargets());
        return new HttpComponent() {
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
        };
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
        HttpHeaderFilterStrategy headers = new HttpHeaderFilterStrategy();
        headers.getOutFilter().add(Exchange.BREADCRUMB_ID.toLowerCase(Locale.ROOT));
        http.setHeaderFilterStrategy(headers);
        return http;
    }
}
