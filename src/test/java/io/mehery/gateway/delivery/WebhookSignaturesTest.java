package io.mehery.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {

    @Test
    void signsAsTheStandardWebhooksExampleShows() {
        // the worked example of the Standard Webhooks specification
        String signature = WebhookSignatures.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}");

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void refusesASecretThatIsNotOne() {
        assertThatThrownBy(() -> WebhookSignatures.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .hasMessageContaining("whsec_");
        assertThatThrownBy(() -> WebhookSignatures.key("whsec_c2hvcnQ=")).hasMessageContaining("16 bytes");
    }
}
