package datahike.spi;

import datahike.Database;
import datahike.Datom;
import datahike.TxReport;
import datahike.edn.Keyword;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.LongFunction;

/**
 * What a {@link Database} delegates to: one immutable database value (or a view of one), read by
 * the local engine or through a provider. Methods have the contracts of the Database methods of the
 * same name and take their arguments as the caller gave them (EDN strings or Java data); views and
 * reports come back as new backends or as {@link TxReport}s whose values are wrapped with {@link
 * Database#of(DatabaseBackend)}.
 *
 * <p>What cannot be done by this backend (a Java predicate sent to a server) fails with a {@link
 * datahike.DatahikeException} coded {@code :remote/unsupported} whose data names the operation.
 */
public interface DatabaseBackend {
  // ------------------------------------------------------------------ pull and entity

  Map<Keyword, Object> pull(Object pattern, Object eid);

  List<Map<Keyword, Object>> pullMany(Object pattern, List<?> eids);

  /**
   * The entity id {@code eid} (a number, ident or lookup ref) names, or -1 when it names none.
   * {@link Database#entity} has already answered null for null and strings.
   */
  long entityId(Object eid);

  /**
   * The value of {@code attr} on entity {@code e}, as {@link datahike.Entity#get} answers it:
   * plain values, references made entities with {@code entity}, sets for cardinality many and
   * non-component reverse attributes, null when absent. {@code :db/id} is answered by the caller.
   */
  Object entityGet(long e, Keyword attr, LongFunction<Object> entity);

  /** The attributes entity {@code e} has, in index order. */
  Set<Keyword> entityKeys(long e);

  /**
   * Entity {@code e} as a map with {@code :db/id}; references as {@code {:db/id n}}, except with
   * {@code touch} components, which are the nested touched maps.
   */
  Map<Keyword, Object> entityMap(long e, boolean touch);

  /** Ids of the entities referring to {@code e} through any reference attribute. */
  List<Long> entityReferrers(long e);

  // ------------------------------------------------------------------ index access

  List<Datom> datoms(Object index, Object... components);

  List<Datom> seekDatoms(Object index, Object... components);

  List<Datom> indexRange(Object attr, Object start, Object end);

  // ------------------------------------------------------------------ views

  DatabaseBackend history();

  DatabaseBackend asOf(Object timePoint);

  DatabaseBackend since(Object timePoint);

  /** The filtered view; {@code self} is the Database wrapping this backend, given to {@code keep}. */
  DatabaseBackend filter(BiPredicate<Database, Datom> keep, Database self);

  boolean isFiltered();

  boolean isHistory();

  /** As {@link Database#with(Object, Map)}; {@code self} (this backend's Database) is dbBefore. */
  TxReport with(Object txData, Map<Keyword, Object> txMeta, Database self);

  List<Datom> export();

  // ------------------------------------------------------------------ queries

  /**
   * Runs a query (vector, map or EDN string form; or Datahike's {@code {:query q :args [...]}}
   * form with {@code inputs} empty) whose database inputs include this one. In {@code inputs}
   * every {@link Database} is already replaced by its backend.
   */
  Object q(Object query, List<Object> inputs);

  /** As {@link #q}, answering {@code {:ret result :query-stats [...]}}. */
  Map<Keyword, Object> queryStats(Object query, List<Object> inputs);

  /** As {@link #q}, answering the per-clause plan ({@code :query-stats} of {@link #queryStats}). */
  List<Map<Keyword, Object>> explain(Object query, List<Object> inputs);

  // ------------------------------------------------------------------ schema and stats

  Map<Keyword, Map<Keyword, Object>> schema();

  Map<Keyword, Set<Keyword>> reverseSchema();

  long maxTx();

  long maxEid();

  Map<Keyword, Object> metrics();
}
