package io.mehery.gateway.store;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a message stands, and which moves are allowed. An inbound message is {@code RECEIVED}; a consent change
 * (optin, optout) is {@code RECORDED}, never sent; an outbound message goes {@code ACCEPTED}, {@code SENT},
 * {@code DELIVERED}, {@code READ} and only forward (receipts arrive out of order: a late one is stamped, not
 * applied), and {@code FAILED} ends it from any of those.
 */
public enum MessageStatus {
    RECEIVED, RECORDED, ACCEPTED, SENT, DELIVERED, READ, FAILED;

    /** Whether a message at this status takes {@code reached} as its status; otherwise it is only stamped. */
    public boolean movesTo(MessageStatus reached) {
        if (!isOutboundProgress()) {
            return false;
        }
        return reached == FAILED || (reached.isOutboundProgress() && reached.compareTo(this) > 0);
    }

    /** As the session history and the callbacks write it. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A provider's own word for a status ({@code sent}, {@code delivered}, ...), when it names one of these. */
    public static Optional<MessageStatus> named(String status) {
        try {
            return Optional.of(valueOf(status.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException | NullPointerException notAStatus) {
            return Optional.empty();
        }
    }

    private boolean isOutboundProgress() {
        return compareTo(ACCEPTED) >= 0 && compareTo(READ) <= 0;
    }
}
