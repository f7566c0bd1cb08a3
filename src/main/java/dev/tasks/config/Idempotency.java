package dev.tasks.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Idempotent creates ({@code Idempotency-Key} on {@code POST /tasks}; docs/api.md, docs/operations.md). */
@ConfigMapping(prefix = "tasks.idempotency")
public interface Idempotency {

    /**
     * How long a key is remembered from its first request; a later request with it counts as new. Set
     * when the key is stored, so a change applies to keys stored from then on.
     */
    @WithDefault("24h")
    Duration ttl();
}
