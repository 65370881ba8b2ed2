package io.mehery.gateway.store;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** Recoveries of a time range and how far each has come. */
@Repository
public class RecoveryStore {

    private static final String COLUMNS = "id, tenant_id, scope, from_at, to_at, state, total, recovered, cursor_at,"
            + " created_at, updated_at, finished_at";
    private static final RowMapper<RecoveryRecord> ROW = (rs, n) -> new RecoveryRecord(rs.getString(1),
            rs.getString(2), RecoveryRecord.Scope.valueOf(rs.getString(3)), rs.getLong(4), rs.getLong(5),
            RecoveryRecord.State.valueOf(rs.getString(6)), rs.getLong(7), rs.getLong(8), rs.getLong(9),
            rs.getLong(10), rs.getLong(11), (Long) rs.getObject(12, Long.class));

    private final JdbcTemplate jdbc;

    public RecoveryStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(RecoveryRecord r) {
        jdbc.update("INSERT INTO delivery_recovery (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.id(), r.tenantId(), r.scope().name(), r.fromAt(), r.toAt(), r.state().name(), r.total(),
                r.recovered(), r.cursorAt(), r.createdAt(), r.updatedAt(), r.finishedAt());
    }

    public Optional<RecoveryRecord> find(String tenantId, String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM delivery_recovery WHERE id = ? AND tenant_id = ?", ROW, id,
                tenantId).stream().findFirst();
    }

    public List<RecoveryRecord> running() {
        return jdbc.query("SELECT " + COLUMNS + " FROM delivery_recovery WHERE state = 'RUNNING'"
                + " ORDER BY created_at", ROW);
    }

    /**
     * Moves a running recovery on from the cursor it was seen at: true only for the one caller that saw it there,
     * so that two instances never send on the same batch.
     */
    public boolean advance(RecoveryRecord seen, long cursorAt, int recovered, long now) {
        return jdbc.update("UPDATE delivery_recovery SET cursor_at = ?, recovered = recovered + ?, updated_at = ?"
                + " WHERE id = ? AND cursor_at = ? AND state = 'RUNNING'", cursorAt, recovered, now, seen.id(),
                seen.cursorAt()) == 1;
    }

    /** Ends a running recovery ({@code FINISHED} or {@code CANCELLED}); false if it had ended already. */
    public boolean end(String id, RecoveryRecord.State state, long now) {
        return jdbc.update("UPDATE delivery_recovery SET state = ?, finished_at = ?, updated_at = ? WHERE id = ?"
                + " AND state = 'RUNNING'", state.name(), now, now, id) == 1;
    }
}
