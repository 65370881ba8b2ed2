package io.mehery.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mehery.gateway.api.ApiException;

class WebhookTargetsTest {

    @Test
    void privateTargetsPassOnlyWhenAllowed() {
        assertThatThrownBy(() -> WebhookTargets.check("http://127.0.0.1:9000/hooks", false))
                .isInstanceOf(ApiException.class);
        assertThat(WebhookTargets.check("http://127.0.0.1:9000/hooks/", true))
                .hasToString("http://127.0.0.1:9000/hooks");
    }

    @Test
    void schemeAndShapeAreCheckedEvenWhenPrivateTargetsAreAllowed() {
        assertThatThrownBy(() -> WebhookTargets.check("file:///etc/passwd", true)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> WebhookTargets.check("http://u:p@127.0.0.1/", true))
                .isInstanceOf(ApiException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "0.0.0.0",
            "100.100.100.200", "224.0.0.1", "::1", "fe80::1", "fc00::1", "::"})
    void knowsTheAddressesThatAreNotPublic(String address) throws Exception {
        assertThat(WebhookTargets.isPrivate(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "203.0.113.10", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888"})
    void letsPublicAddressesThrough(String address) throws Exception {
        assertThat(WebhookTargets.isPrivate(InetAddress.getByName(address))).isFalse();
    }
}
