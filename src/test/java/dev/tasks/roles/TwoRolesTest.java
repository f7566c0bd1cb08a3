package dev.tasks.roles;

import static dev.tasks.support.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tasks.db.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The service deployed with two roles: Liquibase migrates as the owner at start and grants the request
 * role, and everything else (requests, readiness, Hibernate's schema validation) runs as the request role.
 */
@QuarkusTest
@TestProfile(TwoRolesTest.TwoRoles.class)
class TwoRolesTest {

    public static class TwoRoles implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TwoRolesResource.class));
        }
    }

    @Inject
    Sql sql;

    @Test
    void theServiceMigratesAsTheOwnerAndServesAsTheRequestRole() {
        assertEquals(TwoRolesResource.request, sql.value("SELECT current_user::text", String.class));
        assertEquals(TwoRolesResource.owner, sql.value("SELECT tableowner::text FROM pg_tables WHERE tablename = 'tasks'", String.class));

        management().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Database schema' }.data.drifted", equalTo(0));

        long id = given().contentType(ContentType.JSON).body("{\"title\":\"two roles\"}")
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType("application/merge-patch+json").body("{\"done\":true}")
                .when().patch("/tasks/" + id).then().statusCode(200).body("done", equalTo(true));
        given().when().get("/tasks/" + id + "/history").then().statusCode(200);

        // Idempotent creates: the key row, the drawn task id and the replay read all work as the request role.
        long keyed = given().contentType(ContentType.JSON).header("Idempotency-Key", "\"two-roles\"").body("{\"title\":\"keyed\"}")
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).header("Idempotency-Key", "two-roles").body("{\"title\":\"keyed\"}")
                .when().post("/tasks").then().statusCode(201).body("id", equalTo((int) keyed));
        assertEquals(1L, sql.value("SELECT count(*) FROM tasks WHERE title = 'keyed'", Long.class));
        assertEquals(0L, sql.value("SELECT count(*) FROM tracking_check() WHERE problem IS NOT NULL", Long.class));

        List<Map<String, Object>> audit = sql.rows("SELECT operation, db_user FROM audit_log WHERE row_id = ? ORDER BY id",
                Long.toString(id));
        assertEquals(List.of("INSERT", "UPDATE"), audit.stream().map(r -> r.get("operation")).toList());
        assertEquals(List.of(TwoRolesResource.request, TwoRolesResource.request), audit.stream().map(r -> r.get("db_user")).toList());

        // The service's own login cannot erase what it wrote.
        assertThrows(IllegalStateException.class, () -> sql.update("DELETE FROM audit_log"));
        assertThrows(IllegalStateException.class, () -> sql.update("TRUNCATE tasks"));
    }
}
