package io.mehery.gateway.store;

import java.util.Optional;
import java.util.OptionalLong;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * When each channel's next provider call may be made, kept in the shared database so that every instance of the
 * cluster takes its turns from the same clock. Each turn is its own short write, apart from the group commit: it
 * decides whether a call is made now, and is worth nothing a moment later.
 */
@Repository
public class ProviderRateStore {

    private final JdbcTemplate jdbc;

    public ProviderRateStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes the channel's turn if it has come by {@code now}, moving the next one {@code spacing} on; when it has
     * not, answers the time it comes (all in epoch microseconds).
     */
    public OptionalLong takeTurn(String channelId, long now, long spacing) {
        if (taken(channelId, now, spacing)) {
            return OptionalLong.empty();
        }
        // not come yet (others only move it on), or the channel's first call
        Optional<Long> next = nextAt(channelId);
        if (next.isPresent()) {
            return OptionalLong.of(next.get());
        }
        try {
            jdbc.update("INSERT INTO provider_pace (channel_id, next_at) VALUES (?, ?)", channelId, now + spacing);
            return OptionalLong.empty();
        } catch (DuplicateKeyException anotherFirst) {
            return taken(channelId, now, spacing) ? OptionalLong.empty()
                    : OptionalLong.of(nextAt(channelId).orElse(now + spacing));
        }
    }

    private Optional<Long> nextAt(String channelId) {
        return jdbc.queryForList("SELECT next_at FROM provider_pace WHERE channel_id = ?", Long.class, channelId)
                .stream().findFirst();
    }

    private boolean taken(String channelId, long now, long spacing) {
        return jdbc.update("UPDATE provider_pace SET next_at = ? WHERE channel_id = ? AND next_at <= ?",
                now + spacing, channelId, now) == 1;
    }
}
