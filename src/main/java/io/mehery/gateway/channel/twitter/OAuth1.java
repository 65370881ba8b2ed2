package io.mehery.gateway.channel.twitter;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.mehery.gateway.security.Hmac;

/**
 * OAuth 1.0a user-context signatures (HMAC-SHA1) as X documents them ("Creating a signature", "Authorizing a
 * request"): the method, the URL without its query, and every query and form parameter with the oauth_ ones,
 * percent-encoded (RFC 3986) and sorted, signed with the consumer secret and the token secret. A JSON body is not
 * signed. X's own worked example is in OAuth1Test.
 */
public final class OAuth1 {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String consumerKey;
    private final String consumerSecret;
    private final String token;
    private final String tokenSecret;

    public OAuth1(String consumerKey, String consumerSecret, String token, String tokenSecret) {
        this.consumerKey = consumerKey;
        this.consumerSecret = consumerSecret;
        this.token = token;
        this.tokenSecret = tokenSecret;
    }

    /** The {@code Authorization} header of a request whose body is not a form (JSON, or none). */
    public String authorization(String method, String url) {
        return authorization(method, url, Map.of(), nonce(), System.currentTimeMillis() / 1000);
    }

    /** The header with a given nonce and time, and the form parameters of the body. */
    String authorization(String method, String url, Map<String, String> form, String nonce, long timestamp) {
        Map<String, String> oauth = new TreeMap<>();
        oauth.put("oauth_consumer_key", consumerKey);
        oauth.put("oauth_nonce", nonce);
        oauth.put("oauth_signature_method", "HMAC-SHA1");
        oauth.put("oauth_timestamp", Long.toString(timestamp));
        oauth.put("oauth_token", token);
        oauth.put("oauth_version", "1.0");
        URI uri = URI.create(url);
        List<String[]> parameters = new ArrayList<>();
        oauth.forEach((k, v) -> parameters.add(new String[] {encode(k), encode(v)}));
        form.forEach((k, v) -> parameters.add(new String[] {encode(k), encode(v)}));
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                parameters.add(new String[] {encode(key), encode(value)});
            }
        }
        parameters.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        String parameterString = parameters.stream().map(p -> p[0] + "=" + p[1]).collect(Collectors.joining("&"));
        String base = method.toUpperCase(Locale.ROOT) + "&" + encode(baseUrl(uri)) + "&" + encode(parameterString);
        oauth.put("oauth_signature", Base64.getEncoder().encodeToString(
                Hmac.sha1(encode(consumerSecret) + "&" + encode(tokenSecret), base)));
        return "OAuth " + oauth.entrySet().stream().map(e -> encode(e.getKey()) + "=\"" + encode(e.getValue()) + "\"")
                .collect(Collectors.joining(", "));
    }

    /** Scheme and host in lower case, the port only when it is not the scheme's own, the path; no query. */
    private static String baseUrl(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http")
                && port == 80);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port)
                + uri.getRawPath();
    }

    /** RFC 3986 percent-encoding: every byte but the unreserved characters. */
    static String encode(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                encoded.append(c);
            } else {
                encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return encoded.toString();
    }

    private static String decode(String value) {
        return java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String nonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
