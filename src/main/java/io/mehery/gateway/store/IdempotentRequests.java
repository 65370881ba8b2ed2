package io.mehery.gateway.store;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.security.Digests;

/**
 * Requests made once however often they are sent ({@code Idempotency-Key}): the first request with a key does its
 * work and, in the same write, keeps its answer under the key; the same key from the same tenant within
 * {@link #KEPT} answers that answer again and does nothing else, across restarts and instances (the answer is in the
 * shared database). The same key with another request is refused with 409; so is a key whose first request is
 * still being accepted elsewhere. A request refused (its work threw) keeps nothing: its key stays free.
 */
@Repository
public class IdempotentRequests {

    public static final String HEADER = "Idempotency-Key";
    /** How long a key answers its first answer. */
    public static final Duration KEPT = Duration.ofHours(24);

    private final JdbcTemplate jdbc;
    private final GroupCommit commits;
    private final ObjectMapper json;
    private final Clock clock;

    public IdempotentRequests(JdbcTemplate jdbc, GroupCommit commits, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.commits = commits;
        this.json = json;
        this.clock = clock;
    }

    /**
     * {@code accept}'s answer, run once per {@code key}: the stored answer when the key was used before for the
     * same {@code request}. Without a key, {@code accept} runs as it is. {@code accept} may itself write through the
     * group commit: it runs inside this write, so its work and the key are committed together.
     */
    public <T> T once(String tenantId, String key, String operation, Object request, Class<T> answerType,
            Supplier<T> accept) {
        if (key == null) {
            return accept.get();
        }
        if (key.isBlank() || key.length() > 255) {
            throw ApiException.badRequest("INVALID_IDEMPOTENCY_KEY", "Idempotency-Key",
                    "An Idempotency-Key is 1 to 255 characters");
        }
        String hash = hashOf(operation, request);
        Optional<T> earlier = answered(tenantId, key, hash, answerType);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        try {
            return commits.write(() -> {
                long now = clock.millis();
                jdbc.update("DELETE FROM idempotent_request WHERE tenant_id = ? AND idem_key = ? AND created_at < ?",
                        tenantId, key, now - KEPT.toMillis());
                jdbc.update("INSERT INTO idempotent_request (tenant_id, idem_key, operation, request_hash, answer,"
                        + " created_at) VALUES (?, ?, ?, ?, '', ?)", tenantId, key, operation, hash, now);
                T answer = accept.get();
                jdbc.update("UPDATE idempotent_request SET answer = ? WHERE tenant_id = ? AND idem_key = ?",
                        jsonOf(answer), tenantId, key);
                return answer;
            });
        } catch (DuplicateKeyException sentTwiceAtOnce) {
            return answered(tenantId, key, hash, answerType).orElseThrow(() -> new ApiException(409, List.of(
                    Problem.of("IDEMPOTENCY_KEY_IN_USE", "Idempotency-Key",
                            "A request with this Idempotency-Key is being accepted; retry shortly"))));
        }
    }

    /** Forgets the keys older than {@link #KEPT}; answers how many. */
    public int purgeExpired() {
        return jdbc.update("DELETE FROM idempotent_request WHERE created_at < ?", clock.millis() - KEPT.toMillis());
    }

    private <T> Optional<T> answered(String tenantId, String key, String hash, Class<T> answerType) {
        record Kept(String hash, String answer) {
        }
        Optional<Kept> kept = jdbc.query("SELECT request_hash, answer FROM idempotent_request WHERE tenant_id = ?"
                + " AND idem_key = ? AND created_at >= ?", (rs, n) -> new Kept(rs.getString(1), rs.getString(2)),
                tenantId, key, clock.millis() - KEPT.toMillis()).stream().findFirst();
        if (kept.isEmpty() || kept.get().answer().isEmpty()) {
            return Optional.empty();
        }
        if (!kept.get().hash().equals(hash)) {
            throw ApiException.conflict("IDEMPOTENCY_KEY_REUSED", "Idempotency-Key",
                    "This Idempotency-Key was used for another request; use a new key for a new request");
        }
        try {
            return Optional.of(json.readValue(kept.get().answer(), answerType));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the answer kept for an Idempotency-Key is not JSON", e);
        }
    }

    private String hashOf(String operation, Object request) {
        try {
            return Digests.sha256Hex((operation + json.writeValueAsString(request)).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot hash the request", e);
        }
    }

    private String jsonOf(Object answer) {
        try {
            return json.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot keep the answer as JSON", e);
        }
    }
}
