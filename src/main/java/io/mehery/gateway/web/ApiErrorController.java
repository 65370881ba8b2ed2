package io.mehery.gateway.web;

import java.util.List;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Envelopes;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.logging.TraceIds;

/** Whatever no route answered (unknown path, wrong method, a servlet-level failure) still gets the envelope. */
@RestController
public class ApiErrorController implements ErrorController {

    private final Envelopes envelopes;

    public ApiErrorController(Envelopes envelopes) {
        this.envelopes = envelopes;
    }

    @RequestMapping("/error")
    public ResponseEntity<byte[]> error(HttpServletRequest request, HttpServletResponse response) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : 500;
        String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String description = switch (status) {
            case 404 -> "No such endpoint: " + path;
            case 405 -> "This endpoint does not take " + request.getMethod();
            case 415 -> "Send the body as application/json";
            default -> status >= 500 ? "The gateway failed to process the request; quote the traceid to the operator"
                    : "The request was refused";
        };
        String errorCode = switch (status) {
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
        };
        ApiException failure = new ApiException(status, List.of(Problem.of(errorCode, null, description)));
        // the error dispatch runs after the edge filter has left, so the trace id comes from the response
        String traceId = response.getHeader(TraceIds.HEADER);
        var envelope = Envelopes.envelopeOf(failure, path, traceId);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(envelopes.toJson(envelope));
    }
}
