package datahike;

import datahike.db.AbstractDb;
import datahike.db.Db;
import datahike.edn.Keyword;
import datahike.schema.Attribute;
import datahike.schema.SchemaKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A lazy view of one entity in one database value: attributes are read from the indices when
 * asked for. Reference values are Entities, cardinality-many values are Sets, and reverse
 * attributes ({@code :person/_friend}) give the referring entities. Obtained from {@link
 * Database#entity(Object)}.
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
    AbstractDb d = db.unwrap();
    if (k.isReverse()) {
      Keyword straight = k.reverse();
      int a = d.attrCode(straight);
      Attribute at = d.attribute(a);
      Set<Entity> refs = new LinkedHashSet<>();
      for (Datom x : d.search(Db.ANY, a, id, Db.ANY)) refs.add(new Entity(db, x.e));
      if (refs.isEmpty()) return null;
      if (at != null && at.component()) return refs.iterator().next();
      return refs;
    }
    int a = d.attrCode(k);
    if (a == Db.NO_ATTR) return null;
    Attribute at = d.attribute(a);
    boolean many = at != null && at.many();
    boolean ref = at != null && at.isRef();
    Set<Object> vals = new LinkedHashSet<>();
    for (Datom x : d.search(id, a, null, Db.ANY)) {
      Object v = ref ? new Entity(db, (Long) x.v) : x.v;
      if (!many) return v;
      vals.add(v);
    }
    return vals.isEmpty() ? null : vals;
  }

  /** The attributes this entity has, in index order. */
  public Set<Keyword> keySet() {
    AbstractDb d = db.unwrap();
    Set<Keyword> ks = new LinkedHashSet<>();
    for (Datom x : d.search(id, Db.ANY_A, null, Db.ANY)) ks.add(d.attrIdent(x.a));
    return ks;
  }

  /**
   * All attributes as a map with {@code :db/id}; references as {@code {:db/id n}} maps, except
   * components, which are touched recursively (what Datahike's {@code touch} shows).
   */
  public Map<Keyword, Object> touch() {
    return toMap(true, new LinkedHashSet<>());
  }

  /** All attributes as a map with {@code :db/id}; references as {@code {:db/id n}} maps. */
  public Map<Keyword, Object> toMap() {
    return toMap(false, new LinkedHashSet<>());
  }

  private Map<Keyword, Object> toMap(boolean touchComponents, Set<Long> seen) {
    seen.add(id);
    AbstractDb d = db.unwrap();
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(SchemaKeys.DB_ID, id);
    for (Datom x : d.search(id, Db.ANY_A, null, Db.ANY)) {
      Keyword k = d.attrIdent(x.a);
      Attribute at = d.attribute(x.a);
      Object v = x.v;
      if (at != null && at.isRef()) {
        long r = (Long) v;
        v =
            touchComponents && at.component() && !seen.contains(r)
                ? new Entity(db, r).toMap(true, seen)
                : Map.of(SchemaKeys.DB_ID, r);
      }
      if (at != null && at.many()) {
        @SuppressWarnings("unchecked")
        Set<Object> s = (Set<Object>) m.computeIfAbsent(k, kk -> new LinkedHashSet<>());
        s.add(v);
      } else {
        m.put(k, v);
      }
    }
    return m;
  }

  /** Ids of the entities referring to this one through any reference attribute. */
  public List<Long> referrers() {
    AbstractDb d = db.unwrap();
    List<Long> out = new ArrayList<>();
    for (Attribute r : d.schema().refs()) {
      for (Datom x : d.search(Db.ANY, r.code(), id, Db.ANY)) out.add(x.e);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entity e && e.id == id && e.db.unwrap() == db.unwrap();
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
