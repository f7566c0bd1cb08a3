package dev.tasks.mapping;

import java.util.List;

/**
 * One page of {@code GET /tasks}.
 *
 * @param items   the tasks, most recently updated first
 * @param page    the page number, from 0
 * @param size    the page size asked for
 * @param hasNext whether a further page holds more tasks
 */
public record TaskPage(List<TaskResponse> items, int page, int size, boolean hasNext) {
}
