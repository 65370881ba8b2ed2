package io.mehery.gateway.store;

import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The turns of each channel's provider calls, kept in the shared database so that every instance of the cluster
 * takes them from the same clock. Each turn is its own short transaction, apart from the group commit: it decides
 * when a call is made, and is worth nothing a moment later.
 */
@Repository
public class ProviderRateStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public ProviderRateStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * Takes the channel's next free turn, at {@code now} or later, and moves the one after it {@code spacing} on;
     * answers the turn taken (all in epoch microseconds). Turns are taken in order, so a call that waits for a later
     * turn keeps its place: no call taken after it goes before it.
     */
    public long takeTurn(String channelId, long now, long spacing) {
        for (int tries = 1; ; tries++) {
            try {
                Long turn = transaction.execute(tx -> {
                    Optional<Long> next = jdbc.queryForList("SELECT next_at FROM provider_pace WHERE channel_id = ?"
                            + " FOR UPDATE", Long.class, channelId).stream().findFirst();
                    if (next.isEmpty()) {
                        jdbc.update("INSERT INTO provider_pace (channel_id, next_at) VALUES (?, ?)", channelId,
                                now + spacing);
                        return now;
                    }
                    long taken = Math.max(next.get(), now);
                    jdbc.update("UPDATE provider_pace SET next_at = ? WHERE channel_id = ?", taken + spacing,
                            channelId);
                    return taken;
                });
                return turn == null ? now : turn;
            } catch (DuplicateKeyException anotherFirst) {
                if (tries == 3) {
                    throw anotherFirst;
                }
            }
        }
    }
}
