package dev.tasks.rest;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.regex.Pattern;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import dev.tasks.service.InvalidParameterException;

/**
 * Whole-number query parameters ({@code page}, {@code size}, {@code limit}) that name themselves when
 * their value is not a number. JAX-RS answers such a value with a bare 404, as if the resource did not
 * exist. The converter refuses with an {@link InvalidParameterException} instead, which Quarkus REST wraps
 * in that 404 and {@link ProblemMappers} unwraps into a 400 that names the parameter.
 */
@Provider
public class QueryIntegers implements ParamConverterProvider {

    private static final Pattern ASCII_INTEGER = Pattern.compile("[+-]?[0-9]+");

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (rawType != int.class && rawType != Integer.class) {
            return null;
        }
        for (Annotation annotation : annotations) {
            if (annotation instanceof QueryParam query) {
                return (ParamConverter<T>) new WholeNumber(query.value());
            }
        }
        return null;
    }

    private record WholeNumber(String name) implements ParamConverter<Integer> {

        @Override
        public Integer fromString(String value) {
            // ASCII digits only: Integer.valueOf would also read other scripts' digits (U+0662 as 2).
            if (!ASCII_INTEGER.matcher(value).matches()) {
                throw new InvalidParameterException(name, "must be a whole number");
            }
            try {
                return Integer.valueOf(value);
            } catch (NumberFormatException e) {
                throw new InvalidParameterException(name, "is out of range");
            }
        }

        @Override
        public String toString(Integer value) {
            return value.toString();
        }
    }
}
