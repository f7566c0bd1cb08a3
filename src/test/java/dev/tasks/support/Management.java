package dev.tasks.support;

import static io.restassured.RestAssured.given;

import java.net.URI;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.specification.RequestSpecification;

/**
 * The management interface of the application under test ({@code /q/health}, {@code /q/metrics},
 * {@code /q/openapi}, Swagger UI): its own port, never the application port. Tests use
 * {@code quarkus.management.test-port} (9001 unless set; the pom gives the packaged application of the
 * {@code *IT} the same port).
 */
public final class Management {

    private Management() {
    }

    /** Base URL such as {@code http://localhost:9001} (without the {@code /q} root). */
    public static String base() {
        return "http://localhost:" + ConfigProvider.getConfig()
                .getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
    }

    /** Absolute URL of a management path, such as {@code /q/health/ready}. */
    public static String url(String path) {
        return base() + path;
    }

    /** A RestAssured request aimed at the management interface. */
    public static RequestSpecification management() {
        URI uri = URI.create(base());
        return given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort());
    }
}
