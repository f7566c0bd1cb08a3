package dev.tasks.mapping;

import java.util.List;

/** One page of {@code GET /tasks/{id}/history}, oldest entry first. */
public record HistoryPage(List<HistoryEntry> items, int page, int size, boolean hasNext) {
}
