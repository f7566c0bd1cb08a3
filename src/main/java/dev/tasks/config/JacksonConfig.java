package dev.tasks.config;

import java.io.IOException;
import java.time.OffsetDateTime;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * JSON rules of the API: times are written in UTC with all six fractional digits PostgreSQL keeps, no
 * value is coerced into another type ({@code "done": 1} or {@code "title": 123} are errors), and a body
 * is one JSON value whose fields are each named once.
 */
@Singleton
public class JacksonConfig implements ObjectMapperCustomizer {

    // Run after Quarkus registers the java.time module: the serializer registered last wins.
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("tasks-time").addSerializer(new UtcMicrosSerializer()));
        // A body is one JSON value: "{...} garbage" or "{...}{...}" is malformed, not the first object.
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // A field named twice ({"done":true,"done":false}) is refused, not read as its last value: which
        // one the sender meant is not ours to guess (RFC 8259 leaves it open; I-JSON, RFC 7493, forbids it).
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        for (LogicalType type : new LogicalType[] { LogicalType.Boolean, LogicalType.Textual, LogicalType.Integer }) {
            var coercion = mapper.coercionConfigFor(type);
            for (CoercionInputShape shape : CoercionInputShape.values()) {
                coercion.setCoercion(shape, CoercionAction.Fail);
            }
        }
    }

    /** ISO-8601, UTC, always microseconds: the precision of {@code timestamptz} ({@link UtcMicros}). */
    public static String format(OffsetDateTime time) {
        return UtcMicros.format(time);
    }

    private static final class UtcMicrosSerializer extends StdSerializer<OffsetDateTime> {

        UtcMicrosSerializer() {
            super(OffsetDateTime.class);
        }

        @Override
        public void serialize(OffsetDateTime value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(format(value));
        }
    }
}
