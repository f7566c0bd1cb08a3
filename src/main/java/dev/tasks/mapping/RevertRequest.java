package dev.tasks.mapping;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /tasks/{id}/revert}: the version to go back to, from the history or the feed. */
public record RevertRequest(@NotNull @Min(1) Long version) {
}
