package io.mehery.gateway.api;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jms.JmsException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.mehery.gateway.logging.TraceIds;

/**
 * Writes every answer of the API in the Mehery envelope: the success of a route, and the failure of any step,
 * classified into the caller's mistake (4xx, with the field), a dependency being down (503) or our own fault
 * (500, logged with its stack trace and never shown).
 */
@Component("envelopes")
public class Envelopes {

    private static final Logger LOG = LoggerFactory.getLogger(Envelopes.class);
    private static final int MAX_PROBLEMS = 5;
    private static final int MAX_TEXT = 300;

    private final ObjectMapper json;

    public Envelopes(ObjectMapper json) {
        this.json = json;
    }

    /** The body becomes {@code data}; a list body becomes {@code results} with its last element as {@code data}. */
    public void ok(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        List<?> results = body instanceof List<?> list ? list : body == null ? List.of() : List.of(body);
        Object data = body instanceof List<?> list ? (list.isEmpty() ? null : list.get(list.size() - 1)) : body;
        @SuppressWarnings("unchecked")
        List<Problem> warnings = exchange.getProperty(RouteProperties.WARNINGS, List.of(), List.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = exchange.getProperty(RouteProperties.META, Map.of(), Map.class);
        write(exchange, 200, Envelope.success(data, results, warnings, requestPath(exchange), TraceIds.current())
                .withMeta(meta));
    }

    public void failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiException failure = classify(caught);
        if (failure.status() >= 500) {
            LOG.error("Request failed: {}", failure.problems().get(0).code(), caught);
        }
        write(exchange, failure.status(), envelopeOf(failure, requestPath(exchange)));
    }

    public Envelope envelopeOf(ApiException failure, String path) {
        return envelopeOf(failure, path, TraceIds.current());
    }

    public static Envelope envelopeOf(ApiException failure, String path, String traceId) {
        return Envelope.failure(failure.status(), reason(failure.status()), bounded(failure.problems()), path,
                traceId);
    }

    /**
     * At most {@value #MAX_PROBLEMS} errors, each quoting at most {@value #MAX_TEXT} characters: a body with ninety
     * thousand bad keys, or a huge value that fails validation, must not come back larger than it went in.
     */
    static List<Problem> bounded(List<Problem> problems) {
        List<Problem> shown = new ArrayList<>();
        for (Problem p : problems.subList(0, Math.min(MAX_PROBLEMS, problems.size()))) {
            shown.add(new Problem(p.body(), p.code(), p.codeKey(), p.codes(), shortened(p.description()),
                    p.descriptionKey(), shortened(p.field()), p.object()));
        }
        if (problems.size() > MAX_PROBLEMS) {
            shown.add(Problem.of("MORE_ERRORS", null, (problems.size() - MAX_PROBLEMS)
                    + " more errors of the same request are not shown; correct these and send it again"));
        }
        return shown;
    }

    private static String shortened(String text) {
        if (text == null || text.length() <= MAX_TEXT) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
        return text.substring(0, end) + "... (" + text.length() + " characters)";
    }

    public byte[] toJson(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An envelope always serialises", e);
        }
    }

    /** Replaces the whole message, headers included, so nothing of the request (its api key) is echoed back. */
    public void write(Exchange exchange, int status, Envelope envelope) {
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(toJson(envelope));
    }

    public static ApiException classify(Throwable caught) {
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiException api) {
                return api;
            }
            if (cause instanceof Refusal refusal) {
                return ApiException.badRequest(refusal.code(), refusal.field(), refusal.description());
            }
            if (cause instanceof JsonParseException parse) {
                return ApiException.badRequest("INVALID_JSON", "body",
                        "The body is not valid JSON: " + parse.getOriginalMessage());
            }
            if (cause instanceof JsonMappingException mapping) {
                String field = fieldPath(mapping);
                return ApiException.badRequest("INVALID_FIELD", field,
                        "'" + field + "' has the wrong type or shape");
            }
            if (isDependencyDown(cause)) {
                return new ApiException(503, List.of(Problem.of("SERVICE_UNAVAILABLE", null,
                        "The gateway cannot reach its store or queue right now; nothing was accepted, retry later")));
            }
        }
        return new ApiException(500, List.of(Problem.of("INTERNAL_ERROR", null,
                "The gateway failed to process the request; quote the traceid to the operator")));
    }

    /**
     * The store or the broker failing, not the request: a connection refused or lost, a transaction that could not
     * begin or commit (a database going down mid-request), SQL states of class 08 (connection) and 57 (operator
     * intervention, such as a server shutting down).
     */
    private static boolean isDependencyDown(Throwable cause) {
        if (cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessException
                || cause instanceof RecoverableDataAccessException || cause instanceof CannotCreateTransactionException
                || cause instanceof TransactionSystemException
                || cause instanceof JmsException || cause instanceof jakarta.jms.JMSException) {
            return true;
        }
        return cause instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57"));
    }

    private static String fieldPath(JsonMappingException mapping) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            parts.add(reference.getFieldName() != null ? reference.getFieldName()
                    : "[" + reference.getIndex() + "]");
        }
        return parts.isEmpty() ? "body" : String.join(".", parts).replace(".[", "[");
    }

    private static String requestPath(Exchange exchange) {
        String path = exchange.getProperty(RouteProperties.PATH, String.class);
        return path != null ? path : exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
