package io.mehery.gateway.live;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.mehery.gateway.config.MeheryProperties.Channel;
import io.mehery.gateway.config.MeheryProperties;
import io.mehery.gateway.config.ProviderRate;
import io.mehery.gateway.delivery.WebhookSignatures;
import io.mehery.gateway.mapping.Mappings;
import io.mehery.gateway.tap.TapEndpoints;
import io.mehery.gateway.tap.Taps;
import io.mehery.gateway.tags.MessageTags;

/**
 * What a configuration must be to be run: checked at start (the gateway refuses to start) and before every change of
 * a running gateway (the change is refused, the running configuration keeps serving). Every problem is named, each
 * beginning with the key it is about.
 */
public final class ConfigurationRules {

    private static final List<String> CALLBACKS = List.of("message/receive", "contact/info", "action/event");
    private static final Pattern TAP_NAME = Pattern.compile("[A-Za-z0-9_-]{1,50}");
    private static final Pattern WEB_ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?");

    private ConfigurationRules() {
    }

    public static List<String> problems(MeheryProperties properties) {
        List<String> problems = new ArrayList<>();
        if (properties.tenants().isEmpty()) {
            problems.add("mehery.tenants: No tenant is configured, so no client could use this gateway. Configure"
                    + " yours (mehery.tenants.<tenantId>.api-key, see README \"Configuration\"), or try the gateway"
                    + " with the demo tenant: --spring.profiles.active=demo");
        }
        Set<String> keys = new HashSet<>();
        properties.tenants().forEach((id, tenant) -> {
            if (tenant.apiKey() == null || tenant.apiKey().isBlank()) {
                problems.add("mehery.tenants." + id + ".api-key is required");
            } else if (!keys.add(tenant.apiKey())) {
                problems.add("mehery.tenants." + id + ".api-key is shared with another tenant");
            }
            if (tenant.verifyToken() == null || tenant.verifyToken().isBlank()) {
                problems.add("mehery.tenants." + id + ".verify-token is required: every callback to the tenant's"
                        + " webhook carries it as x-verify-token, which is how the client knows the call came from"
                        + " this gateway");
            }
            if (tenant.signingSecret() != null) {
                try {
                    WebhookSignatures.key(tenant.signingSecret());
                } catch (IllegalArgumentException e) {
                    problems.add("mehery.tenants." + id + ".signing-secret: " + e.getMessage());
                }
            }
        });
        String operatorKey = properties.admin().apiKey();
        if (operatorKey != null && keys.contains(operatorKey)) {
            problems.add("mehery.admin.api-key is also a tenant's api-key: the operator's key must be its own");
        }
        MeheryProperties.OperationsWebhook operations = properties.operations().webhook();
        if (operations != null) {
            if (operations.url() == null || !operations.url().matches("(?i)https?://.+")) {
                problems.add("mehery.operations.webhook.url must be an http(s) URL");
            }
            try {
                WebhookSignatures.key(operations.signingSecret());
            } catch (IllegalArgumentException e) {
                problems.add("mehery.operations.webhook.signing-secret: " + e.getMessage());
            }
        }
        properties.channels().forEach((id, channel) -> {
            if (channel.type() == null) {
                problems.add("mehery.channels." + id + ".type is required");
                return;
            }
            if (!properties.tenants().containsKey(channel.tenant())) {
                problems.add("mehery.channels." + id + ".tenant names no configured tenant");
            }
            if (channel.maxRate() != null && !ProviderRate.isValid(channel.maxRate())) {
                problems.add("mehery.channels." + id + ".max-rate is calls per second or minute (80/s, 600/m) or"
                        + " none");
            }
            switch (channel.type()) {
                case WEBSITE -> website(id, channel, problems);
                case TWITTER -> twitter(id, channel, problems);
                case PUSH -> push(id, channel, problems);
                default -> { }
            }
        });
        properties.taps().forEach((name, tap) -> tap(name, tap, properties, problems));
        properties.mappings().forEach((name, mapping) -> mapping(name, mapping, properties, problems));
        problems.addAll(MessageTags.problems(properties.tags()));
        return problems;
    }

    /** A mapping says what it reshapes, for existing tenants and channels, with a template that compiles. */
    private static void mapping(String name, MeheryProperties.Mapping mapping, MeheryProperties properties,
            List<String> problems) {
        String key = "mehery.mappings." + name;
        if (!Mappings.CALLBACK.equals(mapping.appliesTo()) && !Mappings.PROVIDER_REQUEST.equals(mapping.appliesTo())) {
            problems.add(key + ".applies-to is callback or provider-request");
        }
        unknown(key + ".tenants", mapping.tenants(), properties.tenants(), "tenant", problems);
        unknown(key + ".channels", mapping.channels(), properties.channels(), "channel", problems);
        if (Mappings.PROVIDER_REQUEST.equals(mapping.appliesTo())) {
            mapping.channels().stream().map(id -> Map.entry(id, properties.channels().get(id)))
                    .filter(entry -> entry.getValue() != null && !entry.getValue().type().providerTakesJson())
                    .forEach(entry -> problems.add(key + ".channels: '" + entry.getKey() + "' is a "
                            + entry.getValue().type() + " channel, whose provider request is not JSON"));
        }
        mapping.callbacks().stream().filter(callback -> !CALLBACKS.contains(callback)).forEach(callback -> problems
                .add(key + ".callbacks: '" + callback + "' is none of " + String.join(", ", CALLBACKS)));
        if (mapping.jslt() == null || mapping.jslt().isBlank()) {
            problems.add(key + ".jslt is required: the JSLT template of the reshaped JSON");
        } else if (!Mappings.problemOf(mapping.jslt()).isEmpty()) {
            problems.add(key + ".jslt does not compile: " + Mappings.problemOf(mapping.jslt()));
        }
    }

    /** Each id of the list that names nothing configured, by its place: a problem never repeats a value. */
    private static void unknown(String key, List<String> ids, Map<String, ?> configured, String what,
            List<String> problems) {
        for (int i = 0; i < ids.size(); i++) {
            if (!configured.containsKey(ids.get(i))) {
                problems.add(key + "[" + i + "] is no configured " + what);
            }
        }
    }

    /** The key a problem begins with: what it is about. */
    public static String keyOf(String problem) {
        int end = 0;
        while (end < problem.length() && " :(".indexOf(problem.charAt(end)) < 0) {
            end++;
        }
        return problem.substring(0, end);
    }

    /** A tap names the events it wants among those there are, existing tenants and channels, and an endpoint it may use. */
    private static void tap(String name, MeheryProperties.Tap tap, MeheryProperties properties,
            List<String> problems) {
        String key = "mehery.taps." + name;
        if (!TAP_NAME.matcher(name).matches()) {
            problems.add(key + ": a tap's name is 1 to 50 letters, digits, '-' or '_' (it names its queue)");
        }
        tap.events().stream().filter(event -> !Taps.EVENTS.contains(event)).forEach(event -> problems.add(key
                + ".events: '" + event + "' is none of " + String.join(", ", new TreeSet<>(Taps.EVENTS))));
        unknown(key + ".tenants", tap.tenants(), properties.tenants(), "tenant", problems);
        unknown(key + ".channels", tap.channels(), properties.channels(), "channel", problems);
        TapEndpoints.problemOf(tap.uri(), properties.tapFolder(), properties.webhooks().allowPrivateTargets())
                .ifPresent(problem -> problems.add(key + ".uri " + problem));
    }

    /** A website channel signs its visitors' tokens with its identity secret, and names the sites it serves. */
    private static void website(String id, Channel channel, List<String> problems) {
        if (channel.identitySecret() == null || channel.identitySecret().length() < 16) {
            problems.add("mehery.channels." + id + ".identity-secret is required for a WEBSITE channel, at least 16"
                    + " characters: it signs the visitor tokens and proves signed-in users");
        }
        for (int i = 0; i < channel.allowedOrigins().size(); i++) {
            if (!WEB_ORIGIN.matcher(channel.allowedOrigins().get(i)).matches()) {
                problems.add("mehery.channels." + id + ".allowed-origins[" + i + "] is not an origin"
                        + " (scheme://host[:port], as a browser sends it in Origin)");
            }
        }
    }

    /** X signs its webhooks with the consumer secret, and takes DMs on the account's user tokens. */
    private static void twitter(String id, Channel channel, List<String> problems) {
        Map<String, Object> required = new LinkedHashMap<>();
        required.put("consumer-key", channel.consumerKey());
        required.put("consumer-secret", channel.consumerSecret());
        required.put("access-token", channel.accessToken());
        required.put("access-token-secret", channel.accessTokenSecret());
        required.put("lane", channel.lane());
        required.put("base-url", channel.baseUrl());
        requireAll(id, "a TWITTER channel (lane: the account's user id; base-url: https://api.x.com)", required,
                problems);
    }

    /** A push channel names its provider and that provider's credentials, and the key its app calls with. */
    private static void push(String id, Channel channel, List<String> problems) {
        if (channel.identitySecret() == null || channel.identitySecret().length() < 16) {
            problems.add("mehery.channels." + id + ".identity-secret is required for a PUSH channel, at least 16"
                    + " characters: the business's server proves each app user with it (userHash)");
        }
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
            problems.add("mehery.channels." + id + ".provider is fcm or apns for a PUSH channel");
            return;
        }
        requireAll(id, "a PUSH channel of provider " + channel.provider() + " (see README, \"Push notifications\")",
                required, problems);
        if (channel.appKey() != null && channel.appKey().length() < 16) {
            problems.add("mehery.channels." + id + ".app-key must be at least 16 characters");
        }
        for (Path file : new Path[] {channel.serviceAccountFile(), channel.privateKeyFile()}) {
            if (file != null && !Files.isReadable(file)) {
                problems.add("mehery.channels." + id + ": the key file " + file + " cannot be read");
            }
        }
    }

    private static void requireAll(String id, String what, Map<String, Object> required, List<String> problems) {
        required.forEach((key, value) -> {
            if (value == null || value.toString().isBlank()) {
                problems.add("mehery.channels." + id + "." + key + " is required for " + what);
            }
        });
    }
}
