package io.mehery.gateway.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class MaskingTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void masksEveryWrittenValueButKeepsTheShape() throws Exception {
        var content = json.readTree("""
                {"link":"https://cdn.example/x.png","caption":"my card 4111","mime_type":"image/png",
                 "data":{"name":"Ann","amount":12.5,"items":["a","b"]},"id":"tmpl-1","type":"image"}""");

        var masked = Masking.mask(content);

        assertThat(masked.toString()).doesNotContain("4111", "cdn.example", "Ann", "12.5", "\"a\"");
        assertThat(masked.get("caption").asText()).isEqualTo(Masking.MASK);
        assertThat(masked.get("data").get("items").get(1).asText()).isEqualTo(Masking.MASK);
        assertThat(masked.get("mime_type").asText()).isEqualTo("image/png");
        assertThat(masked.get("id").asText()).isEqualTo("tmpl-1");
        assertThat(content.get("caption").asText()).isEqualTo("my card 4111");
    }
}
