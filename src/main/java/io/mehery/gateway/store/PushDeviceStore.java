package io.mehery.gateway.store;

import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The devices a push channel's app registered: a token belongs to one user at a time. */
@Repository
public class PushDeviceStore {

    private final JdbcTemplate jdbc;

    public PushDeviceStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Device(String token, String userId, String platform) {
    }

    /** The token now belongs to the user (a phone handed on, or the app signed in as someone else). */
    public void register(String channelId, String token, String userId, String platform, long now) {
        String update = "UPDATE push_device SET user_id = ?, platform = ?, registered_at = ? WHERE channel_id = ?"
                + " AND token = ?";
        if (jdbc.update(update, userId, platform, now, channelId, token) == 0) {
            try {
                jdbc.update("INSERT INTO push_device (channel_id, token, user_id, platform, registered_at)"
                        + " VALUES (?, ?, ?, ?, ?)", channelId, token, userId, platform, now);
            } catch (DuplicateKeyException registeredMeanwhile) {
                jdbc.update(update, userId, platform, now, channelId, token);
            }
        }
    }

    public List<Device> ofUser(String channelId, String userId) {
        return jdbc.query("SELECT token, user_id, platform FROM push_device WHERE channel_id = ? AND user_id = ?"
                + " ORDER BY registered_at", (rs, n) -> new Device(rs.getString(1), rs.getString(2), rs.getString(3)),
                channelId, userId);
    }

    public void remove(String channelId, String token) {
        jdbc.update("DELETE FROM push_device WHERE channel_id = ? AND token = ?", channelId, token);
    }
}
