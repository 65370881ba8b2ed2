package io.mehery.gateway.conversation;

import java.util.List;

import io.mehery.gateway.api.Problem;

/**
 * What an accepting step hands to its route: the {@code receipt} the caller gets once {@code queued} (one message,
 * or a list of them) is durably on its queue (null when there is nothing to queue), how to take back what was
 * stored if the queue refuses it, and any warnings for the caller.
 */
public record Handoff(Object receipt, Object queued, Runnable withdraw, List<Problem> warnings) {

    public Handoff(Object receipt, Object queued, Runnable withdraw) {
        this(receipt, queued, withdraw, List.of());
    }

    /** Several hand-offs of one request (a provider's batch), answered with one receipt. */
    public static Handoff combined(Object receipt, List<Handoff> parts) {
        List<Object> queued = new java.util.ArrayList<>();
        for (Handoff part : parts) {
            if (part.queued() instanceof List<?> many) {
                queued.addAll(many);
            } else if (part.queued() != null) {
                queued.add(part.queued());
            }
        }
        return new Handoff(receipt, queued.isEmpty() ? null : queued,
                () -> parts.forEach(part -> part.withdraw().run()));
    }

    public static Handoff answerOnly(Object receipt) {
        return new Handoff(receipt, null, () -> { });
    }
}
