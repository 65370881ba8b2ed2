package io.mehery.gateway.conversation;

import java.util.List;

import io.mehery.gateway.api.Problem;

/**
 * What an accepting step hands to its route: the {@code receipt} the caller gets once {@code queued} is durably on
 * its queue (null when there is nothing to queue), how to take back what was stored if the queue refuses it, and
 * any warnings for the caller.
 */
public record Handoff(Object receipt, Object queued, Runnable withdraw, List<Problem> warnings) {

    public Handoff(Object receipt, Object queued, Runnable withdraw) {
        this(receipt, queued, withdraw, List.of());
    }

    public static Handoff answerOnly(Object receipt) {
        return new Handoff(receipt, null, () -> { });
    }
}
