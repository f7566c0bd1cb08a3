package dev.tasks.mapping;

import java.util.List;

/**
 * One read of {@code GET /tasks/changes}.
 *
 * @param items   the changes, in feed order
 * @param next    the cursor to pass as {@code after} next time (also when no change was ready)
 * @param hasMore whether more changes are ready now: read again at once instead of waiting
 */
public record ChangePage(List<ChangeItem> items, String next, boolean hasMore) {
}
