package dev.tasks.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.tasks.config.AuthSettings.Mode;

/** A start with tokens switched on but no way to verify them is refused, with the variable to set. */
class AuthStartCheckTest {

    static AuthSettings settings(Mode writes, Mode reads) {
        return new AuthSettings() {
            @Override
            public Mode writes() {
                return writes;
            }

            @Override
            public Mode reads() {
                return reads;
            }
        };
    }

    final AuthStartCheck check = new AuthStartCheck();

    @Test
    void jwtWithoutAKeyRefusesToStartNamingTheVariables() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> check.check(null,
                settings(Mode.JWT, Mode.NONE), Optional.empty(), Optional.empty(), Optional.of("https://issuer")));
        assertTrue(refused.getMessage().contains("MP_JWT_VERIFY_PUBLICKEY_LOCATION"), refused.getMessage());
        assertTrue(refused.getMessage().contains("TASKS_AUTH_WRITES=none"), refused.getMessage());
    }

    @Test
    void jwtWithoutAnIssuerRefusesToStart() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> check.check(null,
                settings(Mode.NONE, Mode.JWT), Optional.of("/keys/public.pem"), Optional.empty(), Optional.empty()));
        assertTrue(refused.getMessage().contains("MP_JWT_VERIFY_ISSUER"), refused.getMessage());
    }

    @Test
    void aKeyAndAnIssuerOrNoTokensAtAllStart() {
        assertDoesNotThrow(() -> check.check(null, settings(Mode.JWT, Mode.NONE), Optional.of("https://idp/jwks"),
                Optional.empty(), Optional.of("https://idp")));
        assertDoesNotThrow(() -> check.check(null, settings(Mode.JWT, Mode.JWT), Optional.empty(),
                Optional.of("MIIBIjANBg..."), Optional.of("https://idp")));
        assertDoesNotThrow(() -> check.check(null, settings(Mode.NONE, Mode.NONE), Optional.empty(),
                Optional.empty(), Optional.empty()));
    }
}
