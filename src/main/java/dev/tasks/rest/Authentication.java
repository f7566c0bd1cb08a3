package dev.tasks.rest;

import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.tasks.config.AuthSettings;
import dev.tasks.config.AuthSettings.Mode;
import dev.tasks.mapping.Problem;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Bearer tokens on the routes {@code tasks.auth.writes} and {@code tasks.auth.reads} protect: a request
 * without a valid token ends here with a 401 problem and {@code WWW-Authenticate: Bearer} (RFC 6750),
 * before its body is read; with one, the token's principal becomes the request's actor ({@link #ACTOR}). Authentication
 * is not proactive ({@code quarkus.http.auth.proactive=false}), so a token is only verified where it is
 * needed: open routes never look at it.
 */
public class Authentication {

    static final String TYPE = "urn:tasks:problem:unauthenticated";
    /** Where the actor of the request's writes waits for the resource; absent means {@code anonymous}. */
    static final String ACTOR = "dev.tasks.actor";
    static final String CHALLENGE = "Bearer realm=\"tasks\"";
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final AuthSettings settings;
    private final CurrentIdentityAssociation identity;

    public Authentication(AuthSettings settings, CurrentIdentityAssociation identity) {
        this.settings = settings;
        this.identity = identity;
    }

    /** Before matching, so a write without a token learns nothing about the route, its body or its task. */
    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Uni<RestResponse<Problem>> authenticate(ContainerRequestContext request, UriInfo uri,
            RoutingContext routing) {
        Mode mode = READS.contains(request.getMethod()) ? settings.reads() : settings.writes();
        if (mode == Mode.NONE) {
            return Uni.createFrom().nullItem();
        }
        return identity.getDeferredIdentity().onItemOrFailure().transform((user, failure) -> {
            if (failure == null && user != null && !user.isAnonymous()) {
                // JsonWebToken.getName(): the upn claim, else preferred_username, else sub.
                String principal = user.getPrincipal().getName();
                if (principal != null && !principal.isBlank()) {
                    routing.put(ACTOR, principal);
                }
                return null;
            }
            // Failed verification (bad signature, expired, wrong issuer, not a JWT) versus no token at all.
            return unauthorized(uri, failure != null);
        });
    }

    private static RestResponse<Problem> unauthorized(UriInfo uri, boolean tokenSent) {
        return ProblemMappers.problem(Problem.of(401, TYPE, tokenSent
                ? "The bearer token is not valid: not signed by the trusted key, expired, or from another issuer."
                : "This request needs a bearer token: Authorization: Bearer <JWT>.", ProblemMappers.path(uri), null),
                Map.of(HttpHeaders.WWW_AUTHENTICATE, tokenSent ? CHALLENGE + ", error=\"invalid_token\"" : CHALLENGE));
    }
}
