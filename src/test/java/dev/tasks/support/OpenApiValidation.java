package dev.tasks.support;

import java.net.URI;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Validates every answer a RestAssured test receives against the OpenAPI document the application
 * serves on {@code /q/openapi}: a status, header or body the document does not describe fails the
 * test, so the document cannot drift from the service. Requests are not checked (many tests send
 * invalid ones on purpose), nor answers from the management interface.
 * <p>
 * Installed as a global RestAssured filter before each test: as a Quarkus test callback for
 * {@code @QuarkusTest} (whose RestAssured lives in the application's class loader) and as an
 * auto-detected JUnit extension for {@code *IT} (autodetection is switched on in the failsafe configuration).
 */
public class OpenApiValidation implements QuarkusTestBeforeEachCallback, BeforeEachCallback {

    private static final Filter FILTER = new LazyFilter();
    private static volatile OpenApiInteractionValidator validator;

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        install();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        install();
    }

    static synchronized void install() {
        if (!RestAssured.filters().contains(FILTER)) {
            RestAssured.filters(FILTER);
        }
    }

    /** Answers only, against the document as served; read on first use, when the application is up. */
    public static OpenApiInteractionValidator validator() {
        if (validator == null) {
            synchronized (OpenApiValidation.class) {
                if (validator == null) {
                    validator = OpenApiInteractionValidator.createForSpecificationUrl(Management.url("/q/openapi"))
                            .withLevelResolver(LevelResolver.create()
                                    .withLevel("validation.request", ValidationReport.Level.IGNORE)
                                    .build())
                            .build();
                }
            }
        }
        return validator;
    }

    /** Checks answers of the application port only. */
    private static final class LazyFilter implements Filter {

        private volatile OpenApiValidationFilter validation;

        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext context) {
            if (request.getPort() == URI.create(Management.base()).getPort()) {
                return context.next(request, response);
            }
            return validation().filter(request, response, context);
        }

        private OpenApiValidationFilter validation() {
            if (validation == null) {
                validation = new OpenApiValidationFilter(validator());
            }
            return validation;
        }
    }
}
