package dev.tasks.rest;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

/**
 * Whole-number query parameters ({@code page}, {@code size}, {@code limit}) that name themselves when
 * their value is not a number. JAX-RS answers such a value with a bare 404, as if the resource did not
 * exist; {@link ProblemMappers} turns {@link NotANumber} into a 400 that names the parameter.
 */
@Provider
public class QueryIntegers implements ParamConverterProvider {

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

    /** A query parameter whose value is not a whole number that fits an {@code int}. */
    public static final class NotANumber extends IllegalArgumentException {

        private final String parameter;

        private final String problem;

        NotANumber(String parameter, String value) {
            super(parameter + " is not a whole number");
            this.parameter = parameter;
            this.problem = value.matches("[+-]?[0-9]+") ? "is out of range" : "must be a whole number";
        }

        public String parameter() {
            return parameter;
        }

        /** What is wrong with the value, as a field error says it. */
        public String problem() {
            return problem;
        }
    }

    private record WholeNumber(String name) implements ParamConverter<Integer> {

        @Override
        public Integer fromString(String value) {
            try {
                return Integer.valueOf(value);
            } catch (NumberFormatException e) {
                throw new NotANumber(name, value);
            }
        }

        @Override
        public String toString(Integer value) {
            return value.toString();
        }
    }
}
