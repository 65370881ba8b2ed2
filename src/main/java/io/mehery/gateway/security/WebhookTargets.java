package io.mehery.gateway.security;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

import io.mehery.gateway.api.Refusal;


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
        if (!allowPrivateTargets && anyPrivate(addresses)) {
            throw invalid("points at a loopback, private or link-local address, which the gateway may not"
                    + " reach (mehery.webhooks.allow-private-targets is false)");
        }
    }

    private static boolean anyPrivate(InetAddress[] addresses) {
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the gateway must not call the address for a tenant: loopback, private, link-local (cloud metadata),
     * carrier NAT, benchmarking, multicast, reserved (240/4, broadcast), "this network", and this host's own
     * addresses; an IPv6 address that carries an IPv4 one (IPv4-compatible, -mapped, SIIT, NAT64, 6to4, Teredo) is
     * judged by the IPv4 address it reaches.
     */
    public static boolean isPrivate(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress() || OwnAddresses.contains(address)) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || first >= 240 // "this network"; reserved 240/4 and the broadcast address
                    || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0); // IETF protocol assignments
        }
        InetAddress embedded = embeddedIpv4(b);
        if (embedded != null) {
            return isPrivate(embedded);
        }
        return (b[0] & 0xfe) == 0xfc // unique local fc00::/7
                || (b[0] == 0x01 && b[1] == 0x00 && allZero(b, 2, 8)); // discard-only 100::/64
    }

    /** The IPv4 address an IPv6 address carries by one of the standard embeddings, or null. */
    private static InetAddress embeddedIpv4(byte[] b) {
        if (allZero(b, 0, 10) && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff))) {
            return ipv4(b, 12, 0); // ::a.b.c.d (IPv4-compatible) and ::ffff:a.b.c.d (mapped)
        }
        if (allZero(b, 0, 8) && b[8] == (byte) 0xff && b[9] == (byte) 0xff && b[10] == 0 && b[11] == 0) {
            return ipv4(b, 12, 0); // ::ffff:0:a.b.c.d (SIIT)
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b
                && (allZero(b, 4, 12) || (b[4] == 0x00 && b[5] == 0x01))) {
            return ipv4(b, 12, 0); // NAT64 64:ff9b::/96 and local-use 64:ff9b:1::/48
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return ipv4(b, 2, 0); // 6to4 2002:a.b.c.d::/48
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) {
            return ipv4(b, 12, 0xff); // Teredo 2001::/32: the client's address, inverted
        }
        return null;
    }

    private static InetAddress ipv4(byte[] b, int from, int invert) {
        byte[] v4 = new byte[4];
        for (int i = 0; i < 4; i++) {
            v4[i] = (byte) (b[from + i] ^ invert);
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("four bytes are an IPv4 address", impossible);
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The addresses a webhook call may connect to: the host resolved once, and every address checked; the HTTP
     * client connects only to what this answers, so a name that resolves differently between the check and the
     * call (DNS rebinding) cannot reach inside the network.
     */
    public static DnsResolver resolver(boolean allowPrivateTargets) {
        return new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
                if (!allowPrivateTargets && anyPrivate(addresses)) {
                    throw new UnknownHostException(host + " resolves to a loopback, private or reserved address,"
                            + " which the gateway may not call (mehery.webhooks.allow-private-targets)");
                }
                return addresses;
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
            }
        };
    }

    /** This host's own interface addresses, read again at most once a minute (interfaces come and go). */
    private static final class OwnAddresses {
        private static volatile Set<InetAddress> addresses = Set.of();
        private static volatile long readAt;

        static boolean contains(InetAddress address) {
            long now = System.currentTimeMillis();
            if (now - readAt > 60_000) {
                addresses = read();
                readAt = now;
            }
            return addresses.contains(address);
        }

        private static Set<InetAddress> read() {
            try {
                Set<InetAddress> own = new HashSet<>();
                NetworkInterface.networkInterfaces().forEach(i -> i.inetAddresses().forEach(own::add));
                return Set.copyOf(own);
            } catch (SocketException unreadable) {
                return addresses;
            }
        }
    }

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw invalid("has a host that does not resolve");
        }
    }

    private static Refusal invalid(String why) {
        return new Refusal("INVALID_WEBHOOK_URL", "url", "The webhook URL " + why);
    }
}
