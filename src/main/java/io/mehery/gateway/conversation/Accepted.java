package io.mehery.gateway.conversation;

import java.util.List;

import io.mehery.gateway.api.Problem;

/**
 * What an accepting step answers its route once the work is committed, together with what it hands on (the outbox
 * rows written in the same transaction): the {@code receipt} for the caller, and any warnings.
 */
public record Accepted(Object receipt, List<Problem> warnings) {

    public static Accepted of(Object receipt) {
        return new Accepted(receipt, List.of());
    }
}
