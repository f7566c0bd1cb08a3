package dev.tasks.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** Bearer tokens for tests, signed with the key pair of {@link JwtKeys} unless a test forges one. */
public final class Tokens {

    private Tokens() {
    }

    /** A valid token whose principal is its upn. */
    public static String upn(String upn) {
        return sign(claims(JwtKeys.ISSUER, 3600).upn(upn).subject("subject-of-" + upn), JwtKeys.privateKey());
    }

    /** A valid token without upn: its principal is the subject. */
    public static String subjectOnly(String subject) {
        return sign(claims(JwtKeys.ISSUER, 3600).subject(subject), JwtKeys.privateKey());
    }

    /** Right issuer and claims, but signed by a key the service does not know. */
    public static String forged(String upn) {
        return sign(claims(JwtKeys.ISSUER, 3600).upn(upn), JwtKeys.newKeyPair().getPrivate());
    }

    /** Signed by the right key, expired an hour ago (well past any clock skew the verifier allows). */
    public static String expired(String upn) {
        long now = Instant.now().getEpochSecond();
        return sign(Jwt.claims().issuer(JwtKeys.ISSUER).upn(upn).issuedAt(now - 7200).expiresAt(now - 3600),
                JwtKeys.privateKey());
    }

    /** Signed by the right key for another issuer. */
    public static String otherIssuer(String upn) {
        return sign(claims("https://elsewhere.example", 3600).upn(upn), JwtKeys.privateKey());
    }

    private static JwtClaimsBuilder claims(String issuer, long ttlSeconds) {
        long now = Instant.now().getEpochSecond();
        return Jwt.claims().issuer(issuer).issuedAt(now).expiresAt(now + ttlSeconds);
    }

    private static String sign(JwtClaimsBuilder claims, PrivateKey key) {
        return claims.jws().sign(key);
    }

    /** A token from {@code scripts/mint-token.sh}, the recipe the docs give, with the test's private key. */
    public static String fromScript(String... options) {
        List<String> command = new ArrayList<>(List.of("bash", Path.of("scripts", "mint-token.sh").toAbsolutePath().toString(),
                "--key", JwtKeys.PRIVATE_KEY.toString()));
        command.addAll(List.of(options));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("scripts/mint-token.sh failed: " + command);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
