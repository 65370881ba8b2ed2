package io.mehery.gateway.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.spi.RestClientRequestValidator;
import org.apache.camel.support.MessageHelper;
import org.springframework.stereotype.Component;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.ContractOperations;
import io.mehery.gateway.api.Envelope;
import io.mehery.gateway.api.Envelopes;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.api.RouteProperties;
import io.mehery.gateway.security.OperatorKey;
import io.mehery.gateway.security.Tenants;
import io.swagger.v3.oas.models.OpenAPI;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Admits a request to the contract-first REST routes, in the order a caller expects: first who is calling (the
 * {@code x-api-key} of every operation whose contract asks for one, resolving the tenant), then whether the
 * request matches the contract (body, parameters, content type). Refusals are written in the Mehery envelope,
 * with every offending field named.
 */
@Component
public class ApiRequestGate implements RestClientRequestValidator {

    public static final String API_KEY_HEADER = "x-api-key";

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
    /** "(length: 5000, maximum allowed: 4096)" and its minimum twin, as the validator words them. */
    private static final Pattern LENGTHS = Pattern.compile("length: (\\d+), (?:maximum|minimum) allowed: (\\d+)");
    private static final Pattern LONG_QUOTE = Pattern.compile("\"([^\"]{40,})\"");
    private static final Set<String> FORWARDED_HEADERS = Set.of("content-type", "accept");

    private final Tenants tenants;
    private final OperatorKey operator;
    private final Envelopes envelopes;
    private final ContractOperations operations;
    private volatile Contract contract;

    public ApiRequestGate(Tenants tenants, OperatorKey operator, Envelopes envelopes, ContractOperations operations) {
        this.tenants = tenants;
        this.operator = operator;
        this.envelopes = envelopes;
        this.operations = operations;
    }

    @Override
    public ValidationError validate(Exchange exchange, ValidationContext context) {
        OpenAPI openApi = exchange.getProperty(Exchange.REST_OPENAPI, OpenAPI.class);
        if (openApi == null) {
            return null;
        }
        Contract current = contractFor(openApi);
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        String path = requestPath(exchange);
        exchange.setProperty(RouteProperties.PATH, path);
        ContractOperations.Found found = operations.find(method, path);
        if (found == ContractOperations.Found.NO_PATH || found == ContractOperations.Found.NO_METHOD) {
            return null;
        }
        if (found == ContractOperations.Found.KEYED) {
            var tenant = authenticatedTenant(exchange);
            if (tenant.isEmpty()) {
                return refuse(exchange, ApiException.unauthorized(), path);
            }
            exchange.setProperty(RouteProperties.TENANT, tenant.get());
        }
        if (found == ContractOperations.Found.ADMIN && !operatorAuthenticated(exchange)) {
            return refuse(exchange, ApiException.unauthorized(), path);
        }
        if (found == ContractOperations.Found.TENANT_OR_ADMIN && !operatorAuthenticated(exchange)) {
            // a tenant's key: the tenant's own data alone (no meheryTenant property is the operator, every tenant)
            var tenant = authenticatedTenant(exchange);
            if (tenant.isEmpty()) {
                return refuse(exchange, ApiException.unauthorized(), path);
            }
            exchange.setProperty(RouteProperties.TENANT, tenant.get());
        }
        Optional<ApiException> notJson = jsonBodyProblem(exchange);
        if (notJson.isPresent()) {
            return refuse(exchange, notJson.get(), path);
        }
        ValidationReport report = current.validator.validateRequest(toValidatorRequest(exchange, method, path));
        if (report.hasErrors()) {
            return refuse(exchange, toApiException(report), path);
        }
        return null;
    }

    /** The tenant the HTTP edge authenticated for this request; the key checked here if nothing at the edge did. */
    private Optional<String> authenticatedTenant(Exchange exchange) {
        HttpServletRequest request = exchange.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST,
                HttpServletRequest.class);
        if (request != null && request.getAttribute(Tenants.AUTHENTICATED) instanceof String tenant) {
            return Optional.of(tenant);
        }
        return tenants.authenticate(exchange.getMessage().getHeader(API_KEY_HEADER, String.class));
    }

    private boolean operatorAuthenticated(Exchange exchange) {
        HttpServletRequest request = exchange.getMessage().getHeader(Exchange.HTTP_SERVLET_REQUEST,
                HttpServletRequest.class);
        return request != null && Boolean.TRUE.equals(request.getAttribute(OperatorKey.AUTHENTICATED))
                || operator.matches(exchange.getMessage().getHeader(API_KEY_HEADER, String.class));
    }

    private ValidationError refuse(Exchange exchange, ApiException failure, String path) {
        Envelope envelope = envelopes.envelopeOf(failure, path);
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return new ValidationError(failure.status(), new String(envelopes.toJson(envelope),
                java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * What is wrong with a JSON body, in our words and where: not JSON at all (with the line and column), or more
     * after its first value ({@code {...} {"x":1}}), which parsers would otherwise ignore.
     */
    private static Optional<ApiException> jsonBodyProblem(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        String body = MessageHelper.extractBodyAsString(exchange.getMessage());
        if (!contentType.toLowerCase(Locale.ROOT).contains("json") || body == null || body.isBlank()) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(body)) {
            parser.nextToken();
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return Optional.of(ApiException.badRequest("INVALID_JSON", "body", "The body must be exactly one"
                        + " JSON document; something follows the first one at " + where(parser.currentLocation())));
            }
            return Optional.empty();
        } catch (JsonProcessingException malformed) {
            return Optional.of(ApiException.badRequest("INVALID_JSON", "body", "The body is not valid JSON: "
                    + malformed.getOriginalMessage() + ", at " + where(malformed.getLocation())));
        } catch (IOException unreadable) {
            return Optional.of(ApiException.badRequest("INVALID_JSON", "body", "The body could not be read as JSON"));
        }
    }

    private static String where(JsonLocation location) {
        return location == null ? "an unknown place"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static SimpleRequest toValidatorRequest(Exchange exchange, String method, String path) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path, false);
        var message = exchange.getMessage();
        for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
            if (FORWARDED_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                request.withHeader(header.getKey(), String.valueOf(header.getValue()));
            }
        }
        String body = MessageHelper.extractBodyAsString(message);
        if (body != null && !body.isEmpty()) {
            request.withBody(body);
        }
        String query = message.getHeader(Exchange.HTTP_QUERY, String.class);
        if (query != null && !query.isEmpty()) {
            for (String parameter : query.split("&")) {
                int eq = parameter.indexOf('=');
                String name = decode(eq < 0 ? parameter : parameter.substring(0, eq));
                request.withQueryParam(name, eq < 0 ? "" : decode(parameter.substring(eq + 1)));
            }
        }
        return request.build();
    }

    static ApiException toApiException(ValidationReport report) {
        int status = 400;
        List<Problem> problems = new ArrayList<>();
        for (ValidationReport.Message message : report.getMessages()) {
            if (message.getLevel() != ValidationReport.Level.ERROR) {
                continue;
            }
            String key = message.getKey();
            if (key.startsWith("validation.request.contentType")) {
                status = 415;
            }
            for (String field : fieldsOf(message)) {
                problems.add(Problem.of(codeOf(key), field, describe(key, field, message.getMessage())));
            }
        }
        return new ApiException(status, problems);
    }

    /** The dotted path of each field a message is about: several for a "missing required properties" message. */
    private static List<String> fieldsOf(ValidationReport.Message message) {
        String key = message.getKey();
        var context = message.getContext();
        if (key.startsWith("validation.request.parameter") && context.flatMap(c -> c.getParameter()).isPresent()) {
            return List.of(context.get().getParameter().get().getName());
        }
        if (key.startsWith("validation.request.body.missing") || key.contains("invalidJson")
                || key.startsWith("validation.request.contentType")) {
            return List.of("body");
        }
        String pointer = context.flatMap(c -> c.getPointers()).map(p -> p.getInstance()).orElse("");
        String base = pointer.replaceFirst("^/", "").replace('/', '.');
        if (key.endsWith(".required")) {
            Set<String> fields = new LinkedHashSet<>();
            Matcher quoted = QUOTED.matcher(message.getMessage());
            while (quoted.find()) {
                fields.add(base.isEmpty() ? quoted.group(1) : base + "." + quoted.group(1));
            }
            if (!fields.isEmpty()) {
                return List.copyOf(fields);
            }
        }
        return List.of(base.isEmpty() ? "body" : base);
    }

    /**
     * The validator's message, with the rule first and without the value it quotes: a 5,000-character text would
     * otherwise come back before the words that say what is wrong with it.
     */
    static String describe(String key, String field, String message) {
        Matcher lengths = LENGTHS.matcher(message);
        if (key.endsWith(".maxLength") && lengths.find()) {
            return field + " is longer than " + lengths.group(2) + " characters (it has " + lengths.group(1) + ")";
        }
        if (key.endsWith(".minLength") && lengths.find()) {
            return field + " is shorter than " + lengths.group(2) + " characters (it has " + lengths.group(1) + ")";
        }
        return LONG_QUOTE.matcher(message).replaceAll(quoted -> Matcher.quoteReplacement(
                "\"" + quoted.group(1).substring(0, 24) + "...\""));
    }

    private static String codeOf(String key) {
        if (key.contains("invalidJson")) {
            return "INVALID_JSON";
        }
        if (key.endsWith(".required") || key.endsWith(".missing")) {
            return "MISSING_FIELD";
        }
        if (key.startsWith("validation.request.contentType")) {
            return "UNSUPPORTED_MEDIA_TYPE";
        }
        return "INVALID_FIELD";
    }

    private static String requestPath(Exchange exchange) {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static String decode(String value) {
        return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The validator is costly to build and the contract does not change while the gateway runs. */
    private Contract contractFor(OpenAPI openApi) {
        Contract current = contract;
        if (current == null || current.openApi != openApi) {
            current = new Contract(openApi,
                    OpenApiInteractionValidator.createFor(openApi)
                            .withLevelResolver(LevelResolver.create()
                                    .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                                    .withLevel("validation.request.accept", ValidationReport.Level.IGNORE)
                                    .build())
                            .build());
            contract = current;
        }
        return current;
    }

    private record Contract(OpenAPI openApi, OpenApiInteractionValidator validator) {
    }
}
