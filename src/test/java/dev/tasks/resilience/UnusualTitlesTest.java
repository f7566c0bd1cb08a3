package dev.tasks.resilience;

import static dev.tasks.resilience.ProblemChecks.JSON;
import static dev.tasks.resilience.ProblemChecks.describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tasks.db.Sql;
import dev.tasks.resilience.ServiceClient.Answer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Valid titles that are easy to mangle (emoji, right-to-left text, exactly 500 characters, quotes and
 * backslashes, SQL text, combining characters) come back exactly as sent from create and from get, and
 * are stored byte for byte in the table.
 */
@QuarkusTest
class UnusualTitlesTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Sql sql;

    static Stream<Arguments> titles() {
        return Stream.of(
                Arguments.of("emoji", "Ship it 📦✅ 👩‍💻 🇫🇷 🏳️‍🌈"),
                Arguments.of("Arabic, right to left", "مرحبا بالعالم: مهمة جديدة"),
                Arguments.of("Hebrew inside Latin with direction marks", "Call \u200Fשלום עולם\u200E at 10:00"),
                Arguments.of("500 ASCII characters", "x".repeat(500)),
                Arguments.of("500 UTF-16 units as 250 emoji", "😀".repeat(250)),
                Arguments.of("500 characters of decomposed accents", "e\u0301".repeat(250)),
                Arguments.of("quotes and backslashes", "She said \"hi\" \\ C:\\path\\to\\file \\\" \\\\ 'single' `back`"),
                Arguments.of("SQL: drop table", "'); DROP TABLE tasks; --"),
                Arguments.of("SQL: tautology", "' OR '1'='1"),
                Arguments.of("SQL: stacked sleep", "1; SELECT pg_sleep(10); --"),
                Arguments.of("SQL: dollar quoting", "$$; DELETE FROM tasks; $$"),
                Arguments.of("SQL: LIKE wildcards and casts", "100% _done_ \\% ::text"),
                Arguments.of("combining characters, decomposed", "Cafe\u0301 na\u0308ive"),
                Arguments.of("combining characters, composed", "Caf\u00e9 na\u00efve"),
                Arguments.of("stacked combining marks", "Z\u0324\u0354\u0367\u0311\u0313a\u0308\u0356\u032d\u0308\u0307lgo"),
                Arguments.of("zero-width characters", "zero\u200Bwidth\u200Djoiner\u2060word"),
                Arguments.of("byte order mark inside", "\uFEFFstarts with a BOM"),
                Arguments.of("characters beyond the BMP", "𠜎𠜱𠝹 𝄞 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"),
                Arguments.of("JSON and HTML syntax", "{\"title\":[1,2]} <script>alert(1)</script> &amp;"),
                Arguments.of("surrounding spaces", "  padded title  "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("titles")
    void titleRoundTripsThroughCreateAndGetAndIsStoredAsSent(String name, String title) throws Exception {
        try (ServiceClient client = new ServiceClient(base, 2, Duration.ofSeconds(30))) {
            Answer created = client.send("POST", "/tasks", "application/json",
                    JSON.writeValueAsString(Map.of("title", title, "done", true)), null);
            assertEquals(201, created.status(), () -> "create: " + describe(created));
            JsonNode body = JSON.readTree(created.body());
            assertEquals(title, body.path("title").asText(), "title as created");
            long id = body.path("id").asLong();

            Answer read = client.send("GET", "/tasks/" + id, null, null, null);
            assertEquals(200, read.status(), () -> "get: " + describe(read));
            assertEquals(title, JSON.readTree(read.body()).path("title").asText(), "title as read back");
            assertEquals(title, sql.value("SELECT title FROM tasks WHERE id = ?", String.class, id), "title as stored");
            // Compare the stored bytes too, so no driver-side conversion can hide a difference.
            assertArrayEquals(title.getBytes(StandardCharsets.UTF_8),
                    sql.value("SELECT convert_to(title, 'UTF8') FROM tasks WHERE id = ?", byte[].class, id),
                    "UTF-8 bytes as stored");
            assertEquals(title.codePointCount(0, title.length()),
                    sql.value("SELECT char_length(title) FROM tasks WHERE id = ?", Integer.class, id),
                    "characters as PostgreSQL counts them");
        }
    }
}
