package dev.tasks.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tasks.support.JwtKeys;
import dev.tasks.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** With {@code tasks.auth.reads=jwt} as well, every read needs a valid bearer token too. */
@QuarkusTest
@TestProfile(AuthenticatedReadsTest.JwtOnReadsToo.class)
class AuthenticatedReadsTest {

    public static class JwtOnReadsToo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tasks.auth.reads", "jwt", "%test.tasks.auth.reads", "jwt");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(JwtKeys.class));
        }
    }

    @Test
    void readsWithoutAValidTokenAre401AndWithOneAre200() {
        String token = Tokens.upn("reader@example.com");
        long id = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("title", "read me")).post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        for (String path : List.of("/tasks/" + id, "/tasks?size=1", "/tasks/" + id + "/history", "/tasks/changes")) {
            given().get(path).then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer realm=\"tasks\"");
            given().header("Authorization", "Bearer " + Tokens.expired("reader@example.com")).get(path).then()
                    .statusCode(401).header("WWW-Authenticate", "Bearer realm=\"tasks\", error=\"invalid_token\"");
            given().header("Authorization", "Bearer " + token).get(path).then().statusCode(200);
        }
        given().header("Authorization", "Bearer " + token).get("/tasks/" + id).then().body("title", equalTo("read me"));
    }
}
