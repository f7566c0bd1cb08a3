package dev.tasks.config;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Adds to every task operation what every one of them shares, so the resource methods carry only
 * what is theirs: the {@code X-Request-Id} request and response header, and the problem responses
 * the framework can give to any request (unreadable body, unknown id, media types, size, database down).
 */
public class OpenApiFilter implements OASFilter {

    private static final String PROBLEM = "#/components/schemas/Problem";
    private static final String REQUEST_ID = "X-Request-Id";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/tasks")) {
                item.getOperations().forEach((method, operation) -> decorate(path, method, operation));
            }
        });
    }

    private void decorate(String path, PathItem.HttpMethod method, Operation operation) {
        operation.addParameter(OASFactory.createParameter()
                .name(REQUEST_ID)
                .in(Parameter.In.HEADER)
                .description("Request id for the audit trail and logs: 1 to 128 characters of A-Z a-z 0-9 . _ : @ / + = -. "
                        + "Other values are replaced by a generated UUID. Echoed in the response.")
                .schema(OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)))
                .example("3f6c1a2e-order-42"));
        boolean hasBody = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
                || method == PathItem.HttpMethod.PATCH;
        problem(operation, "400", "Invalid input: the body, a parameter or a cursor; `errors` names each field.");
        if (path.contains("{id}")) {
            problem(operation, "404", "No task has this id (or the id is not a number).");
        }
        problem(operation, "406", "The Accept header allows no JSON answer.");
        if (hasBody) {
            problem(operation, "413", "The body is larger than 64 KiB.");
            problem(operation, "415", "Wrong Content-Type: application/json, or application/merge-patch+json for PATCH.");
        }
        problem(operation, "503", "The database cannot be reached; retry after the Retry-After delay.");
        Header requestId = OASFactory.createHeader()
                .description("The request id used for this request.")
                .schema(OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)));
        for (Map.Entry<String, APIResponse> response : operation.getResponses().getAPIResponses().entrySet()) {
            response.getValue().addHeader(REQUEST_ID, requestId);
        }
    }

    private static void problem(Operation operation, String status, String description) {
        APIResponse existing = operation.getResponses().getAPIResponse(status);
        if (existing != null && existing.getContent() != null) {
            return;
        }
        // Generated bean-validation 400s come without a body schema: give them the problem shape.
        Content content = OASFactory.createContent().addMediaType("application/problem+json",
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM)));
        operation.getResponses().addAPIResponse(status,
                OASFactory.createAPIResponse().description(description).content(content));
    }
}
