package datahike.pull;

import datahike.DatahikeException;
import datahike.db.Db;
import datahike.edn.Keyword;
import datahike.pull.PullPattern.Pattern;
import java.util.List;
import java.util.Map;

/**
 * Datahike's pull API: the entities named by ids, read through a pull pattern into nested maps.
 *
 * <p>Patterns are EDN data (see {@link PullPattern} for the grammar): lists for vectors and lists,
 * maps, keywords, the symbols {@code *} and {@code ...}, numbers and strings. They are parsed once
 * and cached by form, so forms must not be mutated after use.
 *
 * <p>Results are {@link java.util.LinkedHashMap}s from attribute keyword to value, as Datahike
 * returns them: a cardinality-many attribute gives a {@link List} in index order (at most 1000
 * values unless {@code :limit} says otherwise); a reference without a sub-pattern gives {@code
 * {:db/id n}}; a component reference is pulled with {@code [*]}; a reverse reference gives a list,
 * or one map for a component attribute; attributes the entity lacks are left out. A key is the
 * attribute keyword unless {@code :as} gives another value, which may be of any type.
 */
public final class Pull {
  private Pull() {}

  /**
   * The parsed form of {@code pattern} (cached), for callers that pull the same pattern often.
   * Throws a {@code :pull/pattern} DatahikeException for a malformed pattern.
   */
  public static Pattern parse(Object pattern) {
    return PullParser.parse(pattern);
  }

  /**
   * Pulls {@code pattern} for entity {@code eid}: the result map, or null when nothing matched (an
   * entity without datoms gives null, or {@code {:db/id eid}} for a wildcard pattern).
   */
  public static Map<Keyword, Object> pull(Db db, Object pattern, long eid) {
    Pattern p = PullParser.parse(pattern);
    return asMap(PullMachine.run(db, p, new long[] {eid}, false));
  }

  /**
   * As {@link #pull(Db, Object, long)} for an entity given as an id, a lookup ref {@code [attr
   * value]} or a {@code :db/ident} keyword. Throws an {@code :entity-id/missing} DatahikeException
   * ("Nothing found for entity id ...") when it names no entity, as Datahike does.
   */
  public static Map<Keyword, Object> pull(Db db, Object pattern, Object eid) {
    Pattern p = PullParser.parse(pattern);
    return asMap(PullMachine.run(db, p, new long[] {resolve(db, eid)}, false));
  }

  /**
   * Pulls {@code pattern} for each of {@code eids} (ids, lookup refs or idents), in order. As in
   * Datahike, entities with an empty result are left out rather than given as null.
   */
  public static List<Map<Keyword, Object>> pullMany(Db db, Object pattern, List<?> eids) {
    Pattern p = PullParser.parse(pattern);
    long[] ids = new long[eids.size()];
    int i = 0;
    for (Object eid : eids) {
      ids[i++] = resolve(db, eid);
    }
    @SuppressWarnings("unchecked")
    List<Map<Keyword, Object>> result =
        (List<Map<Keyword, Object>>) PullMachine.run(db, p, ids, true);
    return result;
  }

  /** The entity id {@code eid} names (Datahike's {@code entid-strict}). */
  private static long resolve(Db db, Object eid) {
    if (eid instanceof Long l) {
      return l;
    }
    long e = db.entid(eid);
    if (e == Db.ANY) {
      throw DatahikeException.of(
          "entity-id/missing", "Nothing found for entity id " + eid, "entity-id", eid);
    }
    return e;
  }

  @SuppressWarnings("unchecked")
  private static Map<Keyword, Object> asMap(Object o) {
    return (Map<Keyword, Object>) o;
  }
}
