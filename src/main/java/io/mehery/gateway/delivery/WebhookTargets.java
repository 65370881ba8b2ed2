package io.mehery.gateway.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import io.mehery.gateway.api.ApiException;

/**
 * Which URLs the gateway will call back. Every address a host resolves to must be public, so that a tenant cannot
 * aim the gateway at its own network (loopback, private ranges, link-local and cloud metadata, carrier NAT).
 */
public final class WebhookTargets {

    private WebhookTargets() {
    }

    /** The URL, normalised, or a 400 naming what is wrong with it. */
    public static URI check(String url, boolean allowPrivateTargets) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw invalid("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw invalid("must be an absolute http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw invalid("has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid("must not carry credentials; callbacks are authenticated by x-verify-token and signatures");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("is a base URL: the callback paths are appended to it, so it takes no query or fragment");
        }
        requirePublicHost(uri.getHost(), allowPrivateTargets);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    /**
     * Refuses a host that does not resolve, or (unless private targets are allowed) one that resolves to a
     * loopback, private or link-local address: the gateway does not call inside its own network for a tenant.
     */
    public static void requirePublicHost(String host, boolean allowPrivateTargets) {
        InetAddress[] addresses = resolve(host);
        if (!allowPrivateTargets) {
            for (InetAddress address : addresses) {
                if (isPrivate(address)) {
                    throw invalid("points at a loopback, private or link-local address, which the gateway may not"
                            + " reach (mehery.webhooks.allow-private-targets is false)");
                }
            }
        }
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    || (first == 198 && (second == 18 || second == 19)); // benchmarking
        }
        if (address instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
        }
        return false;
    }

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw invalid("has a host that does not resolve");
        }
    }

    private static ApiException invalid(String why) {
        return ApiException.badRequest("INVALID_WEBHOOK_URL", "url", "The webhook URL " + why);
    }
}
