package io.mehery.gateway.api;

import java.util.List;

/** A caller's mistake, with the HTTP status and the envelope errors that explain it. */
public class ApiException extends RuntimeException {

    private final int status;
    private final List<Problem> problems;

    public ApiException(int status, List<Problem> problems) {
        super(problems.isEmpty() ? "HTTP " + status : problems.get(0).description(), null, false, false);
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public static ApiException badRequest(String code, String field, String description) {
        return new ApiException(400, List.of(Problem.of(code, field, description)));
    }

    public static ApiException notFound(String code, String field, String description) {
        return new ApiException(404, List.of(Problem.of(code, field, description)));
    }

    public static ApiException conflict(String code, String field, String description) {
        return new ApiException(409, List.of(Problem.of(code, field, description)));
    }

    public static ApiException unauthorized() {
        return new ApiException(401, List.of(Problem.of("UNAUTHORIZED", "x-api-key",
                "A valid x-api-key header is required")));
    }

    /** Refuses a request that lacks a part its type needs. */
    public static void require(boolean present, String field) {
        if (!present) {
            throw badRequest("MISSING_FIELD", field, "'" + field + "' is required for this type");
        }
    }

    public int status() {
        return status;
    }

    public List<Problem> problems() {
        return problems;
    }
}
