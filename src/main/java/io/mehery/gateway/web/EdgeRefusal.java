package io.mehery.gateway.web;

import java.util.List;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;

/** A request answered at the edge, its body unread; {@code retryAfter} in seconds, when the caller should retry. */
final class EdgeRefusal extends RuntimeException {

    private final ApiException failure;
    private final String retryAfter;

    EdgeRefusal(ApiException failure, String retryAfter) {
        super(failure.getMessage(), null, false, false);
        this.failure = failure;
        this.retryAfter = retryAfter;
    }

    EdgeRefusal(ApiException failure) {
        this(failure, null);
    }

    ApiException failure() {
        return failure;
    }

    String retryAfter() {
        return retryAfter;
    }

    static EdgeRefusal of(int status, String code, String field, String description, String retryAfter) {
        return new EdgeRefusal(new ApiException(status, List.of(Problem.of(code, field, description))), retryAfter);
    }

    /** Busy for a moment: the caller retries after a second. */
    static EdgeRefusal busy(String why) {
        return of(503, "SERVICE_UNAVAILABLE", null, why, "1");
    }
}
