package datahike;

import datahike.edn.Keyword;
import datahike.schema.SchemaKeys;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A lazy view of one entity in one database value: attributes are read from the indices when
 * asked for. Reference values are Entities, cardinality-many values are Sets, and reverse
 * attributes ({@code :person/_friend}) give the referring entities. Obtained from {@link
 * Database#entity(Object)}. An entity of a remote database reads its attributes from the server,
 * once per entity and value.
 */
public final class Entity {
  private final Database db;
  private final long id;

  Entity(Database db, long id) {
    this.db = db;
    this.id = id;
  }

  /** The entity id. */
  public long id() {
    return id;
  }

  /** The database this entity is read from. */
  public Database db() {
    return db;
  }

  /**
   * The value of {@code attr} (a keyword or its name such as {@code ":name"}): a value, an Entity
   * for a reference, a Set for cardinality many, null when absent.
   */
  public Object get(Object attr) {
    Keyword k = attr instanceof Keyword kw ? kw : Keyword.of(String.valueOf(attr));
    if (k == SchemaKeys.DB_ID) return id;
    return db.backend().entityGet(id, k, e -> new Entity(db, e));
  }

  /** The attributes this entity has, in index order. */
  public Set<Keyword> keySet() {
    return db.backend().entityKeys(id);
  }

  /**
   * All attributes as a map with {@code :db/id}; references as {@code {:db/id n}} maps, except
   * components, which are touched recursively (what Datahike's {@code touch} shows).
   */
  public Map<Keyword, Object> touch() {
    return db.backend().entityMap(id, true);
  }

  /** All attributes as a map with {@code :db/id}; references as {@code {:db/id n}} maps. */
  public Map<Keyword, Object> toMap() {
    return db.backend().entityMap(id, false);
  }

  /** Ids of the entities referring to this one through any reference attribute. */
  public List<Long> referrers() {
    return db.backend().entityReferrers(id);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entity e && e.id == id && e.db.backend().equals(db.backend());
  }

  @Override
  public int hashCode() {
    return Objects.hash(id);
  }

  @Override
  public String toString() {
    return "{:db/id " + id + "}";
  }
}
