package dev.tasks.repository;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.reflect.Field;

import jakarta.inject.Inject;

import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.query.internal.QueryInterpretationCacheDisabledImpl;
import org.hibernate.query.spi.QueryEngine;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Requests leave Hibernate's query plan cache as they found it. Hibernate Reactive 3.2 keys native
 * queries on a result mapping without equals(), so a cached plan never matched its own repeat: every
 * write added an entry under the hash of the same SQL text and lookups walked them all.
 */
@QuarkusTest
class QueryPlanCacheTest {

    @Inject
    Mutiny.SessionFactory sessionFactory;

    // The Mutiny factory does not expose the ORM factory it wraps; its field is the only way in.
    private QueryEngine queryEngine() throws ReflectiveOperationException {
        Object factory = ClientProxy.unwrap(sessionFactory);
        Field delegate = factory.getClass().getDeclaredField("delegate");
        delegate.setAccessible(true);
        return ((SessionFactoryImplementor) delegate.get(factory)).getQueryEngine();
    }

    private int cachedPlans() throws ReflectiveOperationException {
        return queryEngine().getInterpretationCache().getNumberOfCachedQueryPlans();
    }

    private void everyRouteOnce() {
        long id = given().contentType(ContentType.JSON).body("{\"title\":\"cached\"}")
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        given().contentType(ContentType.JSON).body("{\"title\":\"cached again\",\"done\":true}")
                .when().put("/tasks/{id}", id).then().statusCode(200);
        String etag = given().contentType("application/merge-patch+json").body("{\"done\":false}")
                .when().patch("/tasks/{id}", id).then().statusCode(200).extract().header("ETag");
        given().contentType("application/merge-patch+json").header("If-Match", etag).body("{\"done\":true}")
                .when().patch("/tasks/{id}", id).then().statusCode(200);
        given().when().delete("/tasks/{id}", id).then().statusCode(204);
        long other = given().contentType(ContentType.JSON).body("{\"title\":\"cached\"}")
                .when().post("/tasks").then().statusCode(201).extract().jsonPath().getLong("id");
        String otherTag = given().when().get("/tasks/{id}", other).then().statusCode(200).extract().header("ETag");
        given().header("If-Match", otherTag).when().delete("/tasks/{id}", other).then().statusCode(204);
        given().when().get("/tasks?size=2").then().statusCode(200);
        given().when().get("/tasks?size=2&done=true").then().statusCode(200);
        given().contentType("application/merge-patch+json").header("If-Match", otherTag).body("{\"done\":true}")
                .when().patch("/tasks/{id}", other).then().statusCode(404);
    }

    @Test
    void thePlanCacheIsOff() throws ReflectiveOperationException {
        assertInstanceOf(QueryInterpretationCacheDisabledImpl.class, queryEngine().getInterpretationCache());
    }

    @Test
    void repeatedRequestsAddNoQueryPlan() throws ReflectiveOperationException {
        everyRouteOnce();
        int afterFirstRound = cachedPlans();
        for (int i = 0; i < 20; i++) {
            everyRouteOnce();
        }
        assertEquals(afterFirstRound, cachedPlans());
    }
}
