package io.mehery.gateway.store;

/**
 * A recovery of a time range: the tenant's callbacks in {@code scope} planned in [{@code fromAt}, {@code toAt}),
 * {@code total} of them when it began, {@code recovered} sent on so far; {@code cursorAt} is the planning time of
 * the last one sent on.
 */
public record RecoveryRecord(
        String id,
        String tenantId,
        Scope scope,
        long fromAt,
        long toAt,
        State state,
        long total,
        long recovered,
        long cursorAt,
        long createdAt,
        long updatedAt,
        Long finishedAt) {

    /** Which callbacks: the dead letters, or every one not delivered (dead, or waiting for its next retry). */
    public enum Scope {
        DEAD, UNDELIVERED
    }

    public enum State {
        RUNNING, FINISHED, CANCELLED
    }
}
