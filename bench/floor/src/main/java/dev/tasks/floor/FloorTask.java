package dev.tasks.floor;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * The service's table as an entity, so that Hibernate Reactive builds its persistence unit at start as the
 * service's does. The floor's route does not use it.
 */
@Entity
@Table(name = "tasks")
public class FloorTask extends PanacheEntityBase {

    @Id
    public Long id;

    public String title;

    public boolean done;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
