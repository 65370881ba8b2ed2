package io.mehery.gateway.channel.twitter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** X's worked example of an OAuth 1.0a signature ("Creating a signature"), to the byte. */
class OAuth1Test {

    @Test
    void signsXsDocumentedExample() {
        OAuth1 oauth = new OAuth1("xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
                "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE");
        String header = oauth.authorization("POST", "https://api.twitter.com/1.1/statuses/update.json"
                + "?include_entities=true", Map.of("status", "Hello Ladies + Gentlemen, a signed OAuth request!"),
                "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", 1318622958);

        assertThat(header).startsWith("OAuth ")
                .contains("oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\"")
                .contains("oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\"")
                .contains("oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\"")
                .contains("oauth_signature_method=\"HMAC-SHA1\"", "oauth_version=\"1.0\"");
    }

    @Test
    void encodesAsRfc3986() {
        assertThat(OAuth1.encode("Ladies + Gentlemen!*~")).isEqualTo("Ladies%20%2B%20Gentlemen%21%2A~");
    }
}
