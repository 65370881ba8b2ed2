package io.mehery.gateway.store;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Each instance's figures, a row per sample, read back by the console's overview (any instance reads them all). */
@Repository
public class InstanceFiguresStore {

    private static final TypeReference<InstanceFigures> FIGURES = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final JsonColumns columns;
    private final RowMapper<InstanceFigures.Sampled> row;

    public InstanceFiguresStore(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.columns = new JsonColumns(json, "instance_figures");
        this.row = (rs, n) -> new InstanceFigures.Sampled(rs.getString(1), rs.getLong(2),
                columns.read(rs.getString(3), FIGURES));
    }

    public void record(String instanceId, long sampledAt, InstanceFigures figures) {
        jdbc.update("INSERT INTO instance_figures (instance_id, sampled_at, figures) VALUES (?, ?, ?)", instanceId,
                sampledAt, columns.write(figures));
    }

    /** Every instance's samples since {@code from}, oldest first. */
    public List<InstanceFigures.Sampled> since(long from) {
        return jdbc.query("SELECT instance_id, sampled_at, figures FROM instance_figures WHERE sampled_at >= ?"
                + " ORDER BY sampled_at, instance_id", row, from);
    }

    /** Forgets the samples taken before {@code before}. */
    public void forget(long before) {
        jdbc.update("DELETE FROM instance_figures WHERE sampled_at < ?", before);
    }
}
