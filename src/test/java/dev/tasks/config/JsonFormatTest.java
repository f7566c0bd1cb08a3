package dev.tasks.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.tasks.mapping.TaskRequest;
import io.quarkus.test.junit.QuarkusTest;

/** The API's JSON rules, on the very ObjectMapper the REST layer uses. */
@QuarkusTest
class JsonFormatTest {

    @Inject
    ObjectMapper mapper;

    @Test
    void timesAreUtcWithAllSixFractionalDigits() throws Exception {
        assertEquals("\"2026-01-01T00:00:00.100000Z\"",
                mapper.writeValueAsString(OffsetDateTime.parse("2026-01-01T00:00:00.1Z")));
        assertEquals("\"2025-12-31T22:00:00.000000Z\"",
                mapper.writeValueAsString(OffsetDateTime.parse("2026-01-01T00:00:00+02:00")));
        assertEquals("\"2026-01-01T00:00:00.123456Z\"",
                mapper.writeValueAsString(OffsetDateTime.parse("2026-01-01T00:00:00.123456Z")));
    }

    @Test
    void scalarsAreNeverCoerced() {
        assertThrows(MismatchedInputException.class, () -> mapper.readValue("{\"title\":\"x\",\"done\":1}", TaskRequest.class));
        assertThrows(MismatchedInputException.class, () -> mapper.readValue("{\"title\":\"x\",\"done\":\"true\"}", TaskRequest.class));
        assertThrows(MismatchedInputException.class, () -> mapper.readValue("{\"title\":12}", TaskRequest.class));
        assertThrows(MismatchedInputException.class, () -> mapper.readValue("{\"title\":true}", TaskRequest.class));
    }
}
