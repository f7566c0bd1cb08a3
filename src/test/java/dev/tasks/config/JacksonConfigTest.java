package dev.tasks.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/** The application's ObjectMapper writes times with JacksonConfig's format, whatever else registers modules. */
@QuarkusTest
class JacksonConfigTest {

    @Inject
    ObjectMapper mapper;

    @Test
    void timesKeepAllSixFractionalDigitsInUtcEvenWithTrailingZeros() throws Exception {
        // Jackson's own JavaTimeModule would write "2026-03-01T10:15:30.1Z" here.
        OffsetDateTime time = OffsetDateTime.of(2026, 3, 1, 11, 15, 30, 100_000_000, ZoneOffset.ofHours(1));
        assertEquals("\"2026-03-01T10:15:30.100000Z\"", mapper.writeValueAsString(time));
    }
}
