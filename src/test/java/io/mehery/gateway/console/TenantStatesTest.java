package io.mehery.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the tenants page shows of a webhook: never what its user part or its query may carry. */
class TenantStatesTest {

    @Test
    void aWebhookIsShownWithoutItsUserPartOrItsQuery() {
        assertThat(TenantStates.shown("https://bot:s3cret@hooks.example.com:8443/mehery?token=abc"))
                .isEqualTo("https://hooks.example.com:8443/mehery?…");
        assertThat(TenantStates.shown("http://127.0.0.1:9000/acme")).isEqualTo("http://127.0.0.1:9000/acme");
        assertThat(TenantStates.shown("not a url at all")).isEqualTo("(not shown: not a URL)");
    }
}
