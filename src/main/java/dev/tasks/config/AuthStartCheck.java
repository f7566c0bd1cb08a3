package dev.tasks.config;

import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start when tokens are required but could not be checked: without a verification key every
 * write would be refused, and without an issuer any token the key signed would do, whoever issued it.
 */
@Singleton
public class AuthStartCheck {

    private static final String ADVICE = " (or TASKS_AUTH_WRITES=none and TASKS_AUTH_READS=none to take requests "
            + "without a token). See docs/operations.md, \"Authentication\".";

    void check(@Observes StartupEvent start, AuthSettings auth,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> keyLocation,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> key,
            @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer) {
        if (auth.writes() == AuthSettings.Mode.NONE && auth.reads() == AuthSettings.Mode.NONE) {
            return;
        }
        if (keyLocation.isEmpty() && key.isEmpty()) {
            throw new IllegalStateException("Requests need a bearer token, but no key checks one: set "
                    + "MP_JWT_VERIFY_PUBLICKEY_LOCATION (a PEM file or a JWKS URL) or MP_JWT_VERIFY_PUBLICKEY" + ADVICE);
        }
        if (issuer.isEmpty()) {
            throw new IllegalStateException("Requests need a bearer token, but no issuer is set: set "
                    + "MP_JWT_VERIFY_ISSUER to the iss claim of the tokens to accept" + ADVICE);
        }
    }
}
