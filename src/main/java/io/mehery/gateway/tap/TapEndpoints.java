package io.mehery.gateway.tap;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.mehery.gateway.security.WebhookTargets;

/**
 * The endpoints a tap may send to. A tap's URI is configuration that the admin API takes, and a Camel URI can run code
 * ({@code language:}, {@code bean:}, {@code #class:} references, simple expressions), stop routes ({@code controlbus:}),
 * read or write any file, or feed the gateway's own queues: so only these are taken, each with the options listed:
 * <ul>
 * <li>{@code log:<name>}: the gateway's log;</li>
 * <li>{@code http://} and {@code https://}: sent through the webhooks' HTTP client, whose address guard refuses
 * loopback, private and link-local addresses (resolved once, connected to the checked address) unless
 * {@code mehery.webhooks.allow-private-targets};</li>
 * <li>{@code file:<folder>} under {@code mehery.tap-folder}, its {@code fileName} made of plain characters,
 * {@code $simple{exchangeId}} and {@code $simple{date:now:<pattern>}};</li>
 * <li>{@code jms:queue:<name>} or {@code jms:topic:<name>} on the gateway's broker, outside its own
 * {@code mehery.} addresses and the broker's.</li>
 * </ul>
 * No option may name a bean ({@code #...}) or hold a placeholder or expression beyond those.
 */
public final class TapEndpoints {

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "log", Set.of("level", "showAll", "showBody", "showHeaders", "showBodyType", "showExchangePattern",
                    "multiline", "groupSize", "groupInterval", "logMask", "marker"),
            "http", Set.of("httpMethod", "throwExceptionOnFailure", "connectTimeout", "responseTimeout", "soTimeout"),
            "file", Set.of("fileName", "fileExist", "charset", "autoCreate"),
            "jms", Set.of("deliveryPersistent", "timeToLive", "priority", "explicitQosEnabled", "disableReplyTo"));
    private static final Pattern FILE_NAME = Pattern.compile(
            "([A-Za-z0-9._/-]|\\$simple\\{exchangeId}|\\$simple\\{date:now:[A-Za-z0-9_.-]+})+");
    private static final Pattern LOG_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern QUEUE_NAME = Pattern.compile("(queue|topic):([A-Za-z0-9._-]{1,200})");
    private static final List<String> RESERVED_QUEUES = List.of("mehery.", "activemq.", "$sys", "dla", "expiryqueue");

    private TapEndpoints() {
    }

    /** What is wrong with the URI for a tap, if anything; never the URI itself, which may hold a credential. */
    public static Optional<String> problemOf(String uri, Path tapFolder, boolean allowPrivateTargets) {
        int colon = uri == null ? -1 : uri.indexOf(':');
        if (colon < 1) {
            return Optional.of("is required: log:<name>, an http(s) URL, file:<folder under mehery.tap-folder> or"
                    + " jms:queue:<name>");
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        if (uri.contains("{{") || uri.contains("..") || uri.contains("RAW(")) {
            return Optional.of("holds a placeholder, RAW() or '..', which a tap's URI may not");
        }
        int query = uri.indexOf('?');
        String target = query < 0 ? uri.substring(colon + 1) : uri.substring(colon + 1, query);
        if (target.contains("{") || target.contains("$")) {
            return Optional.of("holds an expression in its address; only a file tap's fileName may use $simple{...}");
        }
        Map<String, String> options = optionsOf(query < 0 ? "" : uri.substring(query + 1));
        String family = scheme.equals("https") ? "http" : scheme;
        if (!OPTIONS.containsKey(family)) {
            return Optional.of("uses '" + scheme + ":', which a tap may not: a tap sends to log:, http(s)://, file:"
                    + " under mehery.tap-folder or jms: outside the gateway's own queues");
        }
        for (Map.Entry<String, String> option : options.entrySet()) {
            if (!OPTIONS.get(family).contains(option.getKey())) {
                return Optional.of("option '" + option.getKey() + "' is not one a " + family + " tap may set (it may: "
                        + String.join(", ", OPTIONS.get(family).stream().sorted().toList()) + ")");
            }
            if (option.getValue().startsWith("#") || (!option.getKey().equals("fileName")
                    && option.getValue().contains("{"))) {
                return Optional.of("option '" + option.getKey() + "' names a bean or holds an expression");
            }
        }
        if (uri.contains("${")) {
            return Optional.of("holds an expression; only a file tap's fileName may use $simple{exchangeId} and"
                    + " $simple{date:now:<pattern>}");
        }
        return switch (family) {
            case "log" -> LOG_NAME.matcher(target).matches() ? Optional.empty()
                    : Optional.of("names no log: log:<name> of letters, digits, '.', '_' or '-'");
            case "http" -> httpProblem(uri, allowPrivateTargets);
            case "file" -> fileProblem(target, options, tapFolder);
            default -> jmsProblem(target);
        };
    }

    /** The endpoint the tap's route sends to: an http(s) tap goes through the webhooks' guarded HTTP client. */
    public static String endpointOf(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        return lower.startsWith("http:") || lower.startsWith("https:") ? "webhook:" + uri : uri;
    }

    private static Optional<String> httpProblem(String uri, boolean allowPrivateTargets) {
        URI url;
        try {
            url = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL");
        }
        String host = url.getHost();
        if (host == null || host.isBlank()) {
            return Optional.of("has no host");
        }
        if (allowPrivateTargets) {
            return Optional.empty();
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        boolean literal = bare.contains(":") || bare.matches("[0-9.]+");
        try {
            if (bare.equalsIgnoreCase("localhost") || bare.toLowerCase(Locale.ROOT).endsWith(".localhost")
                    || literal && WebhookTargets.isPrivate(InetAddress.getByName(bare))) {
                return Optional.of("points at a loopback, private or link-local address, which the gateway may not"
                        + " reach (mehery.webhooks.allow-private-targets is false)");
            }
        } catch (UnknownHostException e) {
            return Optional.of("has a host that is not an address");
        }
        // a name is checked where it is called: the guarded client resolves it once and connects to what it checked
        return Optional.empty();
    }

    private static Optional<String> fileProblem(String target, Map<String, String> options, Path tapFolder) {
        String folder = target.startsWith("//") ? target.substring(2) : target;
        try {
            Path root = tapFolder.toAbsolutePath().normalize();
            if (folder.isBlank() || !Path.of(folder).toAbsolutePath().normalize().startsWith(root)) {
                return Optional.of("writes outside mehery.tap-folder (" + root + "): a file tap's folder is under it");
            }
        } catch (InvalidPathException e) {
            return Optional.of("names no folder");
        }
        String fileName = options.get("fileName");
        if (fileName != null && (!FILE_NAME.matcher(fileName).matches() || fileName.startsWith("/"))) {
            return Optional.of("fileName may hold letters, digits, '.', '_', '-', '/', $simple{exchangeId} and"
                    + " $simple{date:now:<pattern>} only");
        }
        return Optional.empty();
    }

    private static Optional<String> jmsProblem(String target) {
        var named = QUEUE_NAME.matcher(target);
        if (!named.matches()) {
            return Optional.of("names no queue: jms:queue:<name> or jms:topic:<name>");
        }
        String name = named.group(2).toLowerCase(Locale.ROOT);
        if (RESERVED_QUEUES.stream().anyMatch(name::startsWith)) {
            return Optional.of("names one of the gateway's or the broker's own addresses (mehery.*, activemq.*,"
                    + " DLA, ExpiryQueue), which a tap may not feed");
        }
        return Optional.empty();
    }

    private static Map<String, String> optionsOf(String query) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                int equals = pair.indexOf('=');
                options.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
            }
        }
        return options;
    }
}
