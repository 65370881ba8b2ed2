package io.mehery.gateway.store;

/** Who learns of a message's new status, in the transaction that sets it (the taps). */
public interface StatusChanges {

    /** Nobody: a store on its own. */
    StatusChanges NONE = new StatusChanges() {
        @Override
        public boolean wanted() {
            return false;
        }

        @Override
        public void changed(String tenantId, String channelId, String messageId, String sessionId,
                String messageIdExt, MessageStatus status, String failure) {
        }
    };

    /** Whether anybody wants to know now: when nobody does, the store looks nothing up. */
    boolean wanted();

    void changed(String tenantId, String channelId, String messageId, String sessionId, String messageIdExt,
            MessageStatus status, String failure);
}
