package io.mehery.gateway.config;

/** A configuration the gateway refuses to start on; its message says which key is wrong and how to fix it. */
public class InvalidConfiguration extends IllegalStateException {

    public InvalidConfiguration(String message) {
        super(message);
    }
}
