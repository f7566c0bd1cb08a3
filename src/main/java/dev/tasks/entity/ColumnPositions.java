package dev.tasks.entity;

import java.util.List;

/**
 * Where a result's columns are, found by name once per result: a lookup by name on a row scans the
 * column names, and a page of 100 change-feed entries made 1,300 such scans (9% of that route's samples).
 */
final class ColumnPositions {

    private ColumnPositions() {
    }

    /** The position of a column the query must select; a query that lost it is a programming error. */
    static int position(List<String> names, String column) {
        int position = names.indexOf(column);
        if (position < 0) {
            throw new IllegalStateException("the query selects no column " + column + ": " + names);
        }
        return position;
    }
}
