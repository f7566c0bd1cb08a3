package dev.tasks.rest;

import java.util.Set;
import java.util.TreeSet;

import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.handlers.ClassRoutingHandler;
import org.jboss.resteasy.reactive.server.handlers.RestInitialHandler.InitialMatch;
import org.jboss.resteasy.reactive.server.mapping.RequestMapper;
import org.jboss.resteasy.reactive.server.mapping.RequestMapper.RequestMatch;
import org.jboss.resteasy.reactive.server.spi.ServerRestHandler;

/**
 * The HTTP methods the JAX-RS routes accept for the current request's path, for the {@code Allow}
 * header of a 405. Quarkus REST decides 405 with the same routing tables but does not say which
 * methods would have worked, so this asks those tables again.
 */
final class AllowedMethods {

    private AllowedMethods() {
    }

    /** Sorted method names, empty when the path matches no JAX-RS route at all. */
    static Set<String> forCurrentRequest() {
        ResteasyReactiveRequestContext context = CurrentRequestManager.get();
        Set<String> methods = new TreeSet<>();
        if (context == null) {
            return methods;
        }
        String path = context.getPathWithoutPrefix();
        RequestMapper<InitialMatch> classes = new RequestMapper<>(context.getDeployment().getClassMappers());
        // Several resource classes can share a prefix: take the first one with a method for this path,
        // as the router does.
        for (RequestMatch<InitialMatch> match = classes.map(path); match != null && methods.isEmpty();
                match = classes.continueMatching(path, match)) {
            String remaining = match.remaining.isEmpty() ? "/" : match.remaining;
            for (ServerRestHandler handler : match.value.handlers) {
                if (handler instanceof ClassRoutingHandler routing) {
                    routing.getMappers().forEach((method, mapper) -> {
                        if (method != null && mapper.map(remaining) != null) {
                            methods.add(method);
                        }
                    });
                }
            }
        }
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        if (!methods.isEmpty()) {
            // Quarkus REST answers OPTIONS on every route it serves.
            methods.add("OPTIONS");
        }
        return methods;
    }
}
