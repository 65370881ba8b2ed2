package io.mehery.gateway.api;

/**
 * What the gateway will not do with a message or a callback, and why, named by the field that asked for it: a
 * template it has no text for, a part the provider cannot carry, a link inside the gateway's network. Thrown where
 * the work is done, whether an API request or a queue consumer is doing it: the API edge answers it as a 400 in
 * the Mehery envelope (Envelopes.classify); a queue consumer records it as the reason its message failed.
 */
public class Refusal extends RuntimeException {

    private final String code;
    private final String field;

    public Refusal(String code, String field, String description) {
        super(description, null, false, false);
        this.code = code;
        this.field = field;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public String description() {
        return getMessage();
    }
}
