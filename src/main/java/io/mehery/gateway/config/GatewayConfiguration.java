package io.mehery.gateway.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mehery.gateway.delivery.WebhookSignatures;
import io.mehery.gateway.security.Tenants;

@Configuration
@EnableConfigurationProperties(MeheryProperties.class)
public class GatewayConfiguration {

    private static final Pattern WEB_ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?");

    /** Refuses to start with no tenant, or on a configuration that would let one tenant act as another. */
    @Bean
    Tenants tenants(MeheryProperties properties) {
        if (properties.tenants().isEmpty()) {
            throw new InvalidConfiguration("No tenant is configured, so no client could use this gateway. Configure"
                    + " yours (mehery.tenants.<tenantId>.api-key, see README \"Configuration\"), or try the gateway"
                    + " with the demo tenant: --spring.profiles.active=demo");
        }
        Set<String> keys = new HashSet<>();
        properties.tenants().forEach((id, tenant) -> {
            if (tenant.apiKey() == null || tenant.apiKey().isBlank()) {
                throw new InvalidConfiguration("mehery.tenants." + id + ".api-key is required");
            }
            if (tenant.verifyToken() == null || tenant.verifyToken().isBlank()) {
                throw new InvalidConfiguration("mehery.tenants." + id + ".verify-token is required: every callback"
                        + " to the tenant's webhook carries it as x-verify-token, which is how the client knows the"
                        + " call came from this gateway");
            }
            if (!keys.add(tenant.apiKey())) {
                throw new InvalidConfiguration("mehery.tenants." + id + ".api-key is shared with another tenant");
            }
            if (tenant.signingSecret() != null) {
                try {
                    WebhookSignatures.key(tenant.signingSecret());
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfiguration("mehery.tenants." + id + ".signing-secret: " + e.getMessage());
                }
            }
        });
        String operatorKey = properties.admin().apiKey();
        if (operatorKey != null && keys.contains(operatorKey)) {
            throw new InvalidConfiguration("mehery.admin.api-key is also a tenant's api-key: the operator's key must"
                    + " be its own");
        }
        properties.channels().forEach((id, channel) -> {
            if (channel.type() == null) {
                throw new InvalidConfiguration("mehery.channels." + id + ".type is required");
            }
            if (!properties.tenants().containsKey(channel.tenant())) {
                throw new InvalidConfiguration("mehery.channels." + id + ".tenant names no configured tenant: "
                        + channel.tenant());
            }
            if (channel.type() == ChannelType.WEBSITE) {
                requireWebsiteSettings(id, channel);
            }
            if (channel.type() == ChannelType.TWITTER) {
                requireTwitterSettings(id, channel);
            }
            if (channel.type() == ChannelType.PUSH) {
                requirePushSettings(id, channel);
            }
        });
        return new Tenants(properties.tenants());
    }

    /** A website channel signs its visitors' tokens with its identity secret, and names the sites it serves. */
    private static void requireWebsiteSettings(String id, MeheryProperties.Channel channel) {
        if (channel.identitySecret() == null || channel.identitySecret().length() < 16) {
            throw new InvalidConfiguration("mehery.channels." + id + ".identity-secret is required for a WEBSITE"
                    + " channel, at least 16 characters: it signs the visitor tokens and proves signed-in users");
        }
        for (String origin : channel.allowedOrigins()) {
            if (!WEB_ORIGIN.matcher(origin).matches()) {
                throw new InvalidConfiguration("mehery.channels." + id + ".allowed-origins: '" + origin + "' is not"
                        + " an origin (scheme://host[:port], as a browser sends it in Origin)");
            }
        }
    }

    /** X signs its webhooks with the consumer secret, and takes DMs on the account's user tokens. */
    private static void requireTwitterSettings(String id, MeheryProperties.Channel channel) {
        Map<String, Object> required = new LinkedHashMap<>();
        required.put("consumer-key", channel.consumerKey());
        required.put("consumer-secret", channel.consumerSecret());
        required.put("access-token", channel.accessToken());
        required.put("access-token-secret", channel.accessTokenSecret());
        required.put("lane", channel.lane());
        required.put("base-url", channel.baseUrl());
        requireAll(id, "a TWITTER channel (lane: the account's user id; base-url: https://api.x.com)", required);
    }

    /** A push channel names its provider and that provider's credentials, and the key its app calls with. */
    private static void requirePushSettings(String id, MeheryProperties.Channel channel) {
        Map<String, Object> required = new LinkedHashMap<>();
        required.put("app-key", channel.appKey());
        required.put("base-url", channel.baseUrl());
        required.put("lane", channel.lane());
        if ("fcm".equals(channel.provider())) {
            required.put("project-id", channel.projectId());
            required.put("service-account-file", channel.serviceAccountFile());
        } else if ("apns".equals(channel.provider())) {
            required.put("team-id", channel.teamId());
            required.put("key-id", channel.keyId());
            required.put("private-key-file", channel.privateKeyFile());
            required.put("topic", channel.topic());
        } else {
            throw new InvalidConfiguration("mehery.channels." + id + ".provider is fcm or apns for a PUSH channel");
        }
        requireAll(id, "a PUSH channel of provider " + channel.provider() + " (see README, \"Push notifications\")",
                required);
        if (channel.appKey().length() < 16) {
            throw new InvalidConfiguration("mehery.channels." + id + ".app-key must be at least 16 characters");
        }
        for (Path file : new Path[] {channel.serviceAccountFile(), channel.privateKeyFile()}) {
            if (file != null && !Files.isReadable(file)) {
                throw new InvalidConfiguration("mehery.channels." + id + ": the key file " + file
                        + " cannot be read");
            }
        }
    }

    private static void requireAll(String id, String what, Map<String, Object> required) {
        required.forEach((key, value) -> {
            if (value == null || value.toString().isBlank()) {
                throw new InvalidConfiguration("mehery.channels." + id + "." + key + " is required for " + what);
            }
        });
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
