package io.mehery.gateway.delivery;

import java.util.Arrays;

/** The three callbacks, each POSTed to its path under the tenant's webhook base URL. */
public enum CallbackKind {
    MESSAGE_RECEIVE("message.receive", "/api/v1/message/receive"),
    CONTACT_INFO("contact.info", "/api/v1/contact/info"),
    ACTION_EVENT("action.event", "/api/v1/action/event");

    private final String code;
    private final String path;

    CallbackKind(String code, String path) {
        this.code = code;
        this.path = path;
    }

    public String code() {
        return code;
    }

    public String path() {
        return path;
    }

    public static CallbackKind of(String code) {
        return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown callback kind " + code));
    }
}
