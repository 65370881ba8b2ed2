package io.mehery.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mehery.gateway.api.Refusal;

class WebhookTargetsTest {

    @Test
    void privateTargetsPassOnlyWhenAllowed() {
        assertThatThrownBy(() -> WebhookTargets.check("http://127.0.0.1:9000/hooks", false))
                .isInstanceOf(Refusal.class);
        assertThat(WebhookTargets.check("http://127.0.0.1:9000/hooks/", true))
                .hasToString("http://127.0.0.1:9000/hooks");
    }

    @Test
    void schemeAndShapeAreCheckedEvenWhenPrivateTargetsAreAllowed() {
        assertThatThrownBy(() -> WebhookTargets.check("file:///etc/passwd", true)).isInstanceOf(Refusal.class);
        assertThatThrownBy(() -> WebhookTargets.check("http://u:p@127.0.0.1/", true))
                .isInstanceOf(Refusal.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "0.0.0.0",
            "100.100.100.200", "224.0.0.1", "::1", "fe80::1", "fc00::1", "::"})
    void knowsTheAddressesThatAreNotPublic(String address) throws Exception {
        assertThat(WebhookTargets.isPrivate(InetAddress.getByName(address))).isTrue();
    }

    /** IPv6 forms that carry a private IPv4 address, and reserved IPv4 ranges (found by the hardening review). */
    @ParameterizedTest
    @ValueSource(strings = {"::127.0.0.1", "::7f00:1", "::ffff:127.0.0.1", "::ffff:0:127.0.0.1", "::ffff:0:a9fe:a9fe",
            "64:ff9b::a9fe:a9fe", "64:ff9b::127.0.0.1", "64:ff9b:1::a00:1", "2002:7f00:1::1", "2002:a9fe:a9fe::",
            "2001:0:4136:e378:8000:63bf:80ff:fffe", "240.0.0.1", "255.255.255.255", "192.0.0.8", "100::1"})
    void seesThroughEmbeddingsAndReservedRanges(String address) throws Exception {
        assertThat(WebhookTargets.isPrivate(InetAddress.getByName(address))).as(address).isTrue();
        String host = address.contains(":") ? "[" + address + "]" : address;
        assertThatThrownBy(() -> WebhookTargets.check("http://" + host + "/hooks", false))
                .isInstanceOf(Refusal.class);
    }

    @Test
    void thisHostsOwnAddressesAreNotTargets() throws Exception {
        List<InetAddress> own = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .toList();

        assertThat(own).isNotEmpty().allSatisfy(a -> assertThat(WebhookTargets.isPrivate(a)).as(a.toString()).isTrue());
    }

    @Test
    void theResolverTheCallsConnectThroughRefusesWhatTheGuardRefuses() throws Exception {
        assertThatThrownBy(() -> WebhookTargets.resolver(false).resolve("localhost"))
                .isInstanceOf(UnknownHostException.class).hasMessageContaining("may not call");
        assertThat(WebhookTargets.resolver(false).resolve("203.0.113.10"))
                .containsExactly(InetAddress.getByName("203.0.113.10"));
        assertThat(WebhookTargets.resolver(true).resolve("localhost")).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "203.0.113.10", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888",
            "64:ff9b::808:808", "2002:808:808::1"})
    void letsPublicAddressesThrough(String address) throws Exception {
        assertThat(WebhookTargets.isPrivate(InetAddress.getByName(address))).isFalse();
    }
}
