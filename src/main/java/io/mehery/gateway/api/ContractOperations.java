package io.mehery.gateway.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import com.atlassian.oai.validator.interaction.ApiOperationResolver;
import com.atlassian.oai.validator.model.ApiOperationMatch;
import com.atlassian.oai.validator.model.Request;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.parser.core.models.ParseOptions;

/**
 * Which requests the contract serves, known from the method and path alone: the HTTP edge decides with it, before
 * reading a body, whether a request goes anywhere and whether it must carry an {@code x-api-key}.
 */
@Component
public class ContractOperations {

    /** What the contract says of a method and path. */
    public enum Found {
        /** no operation has this path */
        NO_PATH,
        /** the path exists, not with this method */
        NO_METHOD,
        /** an operation that needs no key (a provider's webhook, the contract itself) */
        OPEN,
        /** an operation that needs the caller's {@code x-api-key} */
        KEYED,
        /** an operation that needs the operator's {@code x-api-key} ({@code mehery.admin.api-key}) */
        ADMIN,
        /** an operation that takes a tenant's key (its own data) or the operator's (every tenant's) */
        TENANT_OR_ADMIN
    }

    private final OpenAPI openApi;
    private final ApiOperationResolver operations;

    public ContractOperations() throws IOException {
        try (InputStream yaml = new ClassPathResource(ContractDocument.LOCATION).getInputStream()) {
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            this.openApi = new OpenAPIParser().readContents(new String(yaml.readAllBytes(), StandardCharsets.UTF_8),
                    null, options).getOpenAPI();
        }
        this.operations = new ApiOperationResolver(openApi, null, false);
    }

    public Found find(String method, String path) {
        Request.Method verb;
        try {
            verb = Request.Method.valueOf(method.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknownMethod) {
            return operations.findApiOperation(path, Request.Method.GET).isPathFound() ? Found.NO_METHOD
                    : Found.NO_PATH;
        }
        ApiOperationMatch match = operations.findApiOperation(path, verb);
        if (!match.isPathFound()) {
            return Found.NO_PATH;
        }
        if (!match.isOperationAllowed()) {
            return Found.NO_METHOD;
        }
        Operation operation = match.getApiOperation().getOperation();
        boolean admin = requires(openApi, operation, "AdminKey");
        boolean tenant = requires(openApi, operation, "ApiKey");
        return admin && tenant ? Found.TENANT_OR_ADMIN : admin ? Found.ADMIN : tenant ? Found.KEYED : Found.OPEN;
    }

    private static boolean requires(OpenAPI openApi, Operation operation, String scheme) {
        var requirements = operation.getSecurity() != null ? operation.getSecurity() : openApi.getSecurity();
        return requirements != null && requirements.stream().anyMatch(r -> r.containsKey(scheme));
    }
}
