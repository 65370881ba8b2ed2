package io.mehery.gateway.store;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The configuration version each instance of the cluster runs, as each last said. */
@Repository
public class ConfigInstanceStore {

    private static final TypeReference<List<String>> LINES = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final JsonColumns columns;
    private final RowMapper<Instance> row;

    public ConfigInstanceStore(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.columns = new JsonColumns(json, "config_instance");
        this.row = (rs, n) -> new Instance(rs.getString(1), rs.getLong(2), columns.read(rs.getString(3), LINES),
                rs.getLong(4), rs.getLong(5));
    }

    /**
     * @param problems why it does not run the newest version (empty when it does)
     * @param seenAt its last look at the versions
     */
    public record Instance(String instanceId, long version, List<String> problems, long startedAt, long seenAt) {
    }

    /** What the instance runs now; each instance writes its own row only. */
    public void running(String instanceId, long version, List<String> problems, long startedAt, long now) {
        String text = columns.write(problems);
        if (jdbc.update("UPDATE config_instance SET version = ?, problems = ?, started_at = ?, seen_at = ?"
                + " WHERE instance_id = ?", version, text, startedAt, now, instanceId) == 0) {
            jdbc.update("INSERT INTO config_instance (instance_id, version, problems, started_at, seen_at)"
                    + " VALUES (?, ?, ?, ?, ?)", instanceId, version, text, startedAt, now);
        }
    }

    /** The instances seen since {@code seenSince}, the newest version first. */
    public List<Instance> seenSince(long seenSince) {
        return jdbc.query("SELECT instance_id, version, problems, started_at, seen_at FROM config_instance"
                + " WHERE seen_at >= ? ORDER BY version DESC, instance_id", row, seenSince);
    }

    /** Forgets the instances not seen since {@code seenBefore}: stopped, or replaced by others. */
    public void forget(long seenBefore) {
        jdbc.update("DELETE FROM config_instance WHERE seen_at < ?", seenBefore);
    }
}
