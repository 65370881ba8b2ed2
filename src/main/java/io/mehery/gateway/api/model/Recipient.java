package io.mehery.gateway.api.model;

/** {@code to} of message/send: {@code phone} carries every non-e-mail address (E.164, chat id, PSID). */
public record Recipient(String email, String name, String phone) {
}
