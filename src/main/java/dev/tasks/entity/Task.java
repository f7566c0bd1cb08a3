package dev.tasks.entity;

import java.time.OffsetDateTime;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.Mutability;
import org.hibernate.generator.EventType;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.java.Immutability;

/**
 * A task row. The time columns are written by PostgreSQL (column defaults and the
 * {@code zz_10_timestamps} trigger); Hibernate reads them back from the {@code RETURNING} clause of the
 * same statement that wrote the row.
 */
@Entity
@Table(name = "tasks")
public class Task {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    // The column is text (its length is checked by a constraint); Hibernate Reactive's schema validation
    // compares the type by name.
    @Column(nullable = false, columnDefinition = "text")
    private String title;

    @Column(nullable = false)
    private boolean done;

    // updatable = false keeps Hibernate from writing the column back in its UPDATE.
    @Generated(event = EventType.INSERT)
    @Column(name = "created_at", nullable = false, updatable = false)
    private OffsetDateTime createdAt;

    @Generated(event = { EventType.INSERT, EventType.UPDATE })
    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    // Column name -> last change time (ISO-8601 UTC, microseconds), kept by the generated zz_10_timestamps trigger.
    @Generated(event = { EventType.INSERT, EventType.UPDATE })
    // Only PostgreSQL changes the map; the service never does, so Hibernate need not keep a copy of it per
    // loaded task (for a JSON map, a copy is a serialization and a parse: a fifth of a list request's CPU).
    @Mutability(Immutability.class)
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "field_updated_at", nullable = false)
    private Map<String, String> fieldUpdatedAt;

    public Task() {
    }

    public Task(String title, boolean done) {
        this.title = title;
        this.done = done;
    }

    public Long getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }

    public boolean isDone() {
        return done;
    }

    public OffsetDateTime getCreatedAt() {
        return createdAt;
    }

    public OffsetDateTime getUpdatedAt() {
        return updatedAt;
    }

    public Map<String, String> getFieldUpdatedAt() {
        return fieldUpdatedAt;
    }
}
