package io.mehery.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Metric tags name endpoints, never the credentials a URI can carry. */
class GatewayConfigurationTest {

    @Test
    void anEndpointTagLosesItsUserInfoAndQuery() {
        assertThat(GatewayConfiguration.withoutCredentials("webhook://https://crm:s3cret@lake.example.com/in?token=x"))
                .isEqualTo("webhook://https://lake.example.com/in");
        assertThat(GatewayConfiguration.withoutCredentials("https://crm:s3cret@lake.example.com/in"))
                .isEqualTo("https://lake.example.com/in");
        assertThat(GatewayConfiguration.withoutCredentials("imap://127.0.0.1:993?username=a&password=b"))
                .isEqualTo("imap://127.0.0.1:993");
        assertThat(GatewayConfiguration.withoutCredentials("direct://accepted")).isEqualTo("direct://accepted");
    }
}
