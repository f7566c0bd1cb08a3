package dev.tasks.config;

import io.smallrye.config.ConfigMapping;

/**
 * Which requests need a JWT bearer token: writes ({@code POST}, {@code PUT}, {@code PATCH},
 * {@code DELETE}) and reads ({@code GET}, {@code HEAD}) are switched apart. The token itself is checked
 * by MicroProfile JWT against its standard settings ({@code mp.jwt.verify.*}).
 */
@ConfigMapping(prefix = "tasks.auth")
public interface AuthSettings {

    /** Whether a kind of request needs a token. */
    enum Mode {
        /** A valid bearer token, or 401. */
        JWT,
        /** Nothing; tokens are not even read, and the actor is {@code anonymous}. */
        NONE
    }

    /** {@code TASKS_AUTH_WRITES}: {@code jwt} in production, {@code none} in dev mode and tests. */
    Mode writes();

    /** {@code TASKS_AUTH_READS}: {@code none} by default, so reads stay open. */
    Mode reads();
}
