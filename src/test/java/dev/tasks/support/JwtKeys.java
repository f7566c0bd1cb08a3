package dev.tasks.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Switches bearer tokens on for writes with a key pair made at start, so no key is ever committed: the
 * pair is written to {@code target/test-jwt/} (PKCS#8 and X.509 PEM, the formats {@code openssl genpkey}
 * writes), the service verifies with the public one and {@link Tokens} signs with the private one. Works
 * for {@code @QuarkusTest} and for {@code @QuarkusIntegrationTest}, whose packaged application gets the
 * settings as system properties (above any environment variable).
 */
public class JwtKeys implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://issuer.tasks.test";
    public static final Path DIRECTORY = Path.of("target", "test-jwt").toAbsolutePath();
    public static final Path PRIVATE_KEY = DIRECTORY.resolve("private.pem");
    public static final Path PUBLIC_KEY = DIRECTORY.resolve("public.pem");

    @Override
    public Map<String, String> start() {
        KeyPair pair = newKeyPair();
        try {
            Files.createDirectories(DIRECTORY);
            Files.writeString(PRIVATE_KEY, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(PUBLIC_KEY, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "tasks.auth.writes", "jwt",
                // application.properties says none for the test profile; a profiled name wins over a plain one.
                "%test.tasks.auth.writes", "jwt",
                // The key itself rather than its location: in test mode Quarkus configures a key pair of its
                // own as mp.jwt.verify.publickey, which MicroProfile JWT would prefer to any location.
                "mp.jwt.verify.publickey", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()),
                "mp.jwt.verify.issuer", ISSUER);
    }

    @Override
    public void stop() {
        // The pair stays in target/ until the next start replaces it or a clean removes it.
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signing key of the running test, read from {@link #PRIVATE_KEY}. */
    public static PrivateKey privateKey() {
        try {
            String pem = Files.readString(PRIVATE_KEY).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
