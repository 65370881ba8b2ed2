package io.mehery.gateway.api;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The spec's response envelope; every field is present in every answer, empty or not. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Envelope(
        Object data,
        List<Object> details,
        String error,
        List<Problem> errors,
        String exception,
        Map<String, Object> extra,
        List<String> logs,
        String message,
        String messageKey,
        Map<String, Object> meta,
        Map<String, Object> params,
        String path,
        String redirectUrl,
        List<?> results,
        String status,
        String statusKey,
        long timestamp,
        String traceid,
        String warningKey,
        List<Problem> warnings) {

    public static final String SUCCESS = "SUCCESS";
    public static final String ERROR = "ERROR";

    public Envelope withMeta(Map<String, Object> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, Object> merged = new java.util.LinkedHashMap<>(meta);
        merged.putAll(more);
        return new Envelope(data, details, error, errors, exception, extra, logs, message, messageKey, merged, params,
                path, redirectUrl, results, status, statusKey, timestamp, traceid, warningKey, warnings);
    }

    public static Envelope success(Object data, List<?> results, List<Problem> warnings, String path, String traceid) {
        return new Envelope(data, List.of(), null, List.of(), null, Map.of(), List.of(), "OK", "ok", Map.of(),
                Map.of(), path, null, results, SUCCESS, "success", System.currentTimeMillis(), traceid, null,
                warnings);
    }

    public static Envelope failure(int httpStatus, String reason, List<Problem> errors, String path, String traceid) {
        String summary = errors.isEmpty() ? reason : errors.get(0).description();
        return new Envelope(null, List.of(), reason, errors, null, Map.of(), List.of(), summary,
                errors.isEmpty() ? null : errors.get(0).code(), Map.of("httpStatus", httpStatus), Map.of(), path,
                null, List.of(), ERROR, "error", System.currentTimeMillis(), traceid, null, List.of());
    }
}
