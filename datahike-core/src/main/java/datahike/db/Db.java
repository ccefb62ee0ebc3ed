package datahike.db;

import datahike.Datom;
import datahike.edn.Keyword;
import datahike.schema.Attribute;

/**
 * A database value as the query engine, pull and entity code read it: the current state, or a
 * view over it (history, as-of, since, filter). Immutable; safe to read from any thread. Internal.
 *
 * <p>Components are primitives with wildcards: {@link #ANY} for {@code e} and {@code tx}, {@link
 * #ANY_A} for {@code a}, {@code null} for {@code v}. An attribute the database does not know is
 * {@link #NO_ATTR}, which matches nothing.
 */
public interface Db {
  /** Wildcard for an entity id or a transaction id. */
  long ANY = -1L;
  /** Wildcard for an attribute. */
  int ANY_A = 0;
  /** An attribute the database does not know: matches no datom. */
  int NO_ATTR = Integer.MIN_VALUE;

  /** The attribute with this code, or null when the schema does not describe it. */
  Attribute attribute(int code);

  /** The attribute named by {@code ident}, or null when the schema does not describe it. */
  Attribute attribute(Keyword ident);

  /**
   * The code of an attribute given as a keyword (or, with {@code :attribute-refs? true}, as its
   * entity id); {@link #NO_ATTR} when there is none.
   */
  int attrCode(Object attr);

  /** The attribute as users see it: its keyword (in both attribute modes). */
  Keyword attrIdent(int code);

  /**
   * The entity id that {@code eid} names: a number as is, a keyword by {@code :db/ident}, a lookup
   * ref {@code [attr value]} through the unique attribute; {@link #ANY} when nothing matches.
   * Throws a DatahikeException for a malformed reference or a lookup ref on a non-unique
   * attribute.
   */
  long entid(Object eid);

  /**
   * Every datom matching the components, in the order of the index best suited to them. On a
   * history view this includes retractions ({@link Datom#added()} false).
   */
  Iterable<Datom> search(long e, int a, Object v, long tx);

  /** The datoms of {@code index} whose leading components equal the given ones, in index order. */
  Iterable<Datom> datoms(IndexType index, long e, int a, Object v, long tx);

  /**
   * A reusable probe for the datoms of attribute {@code a} of one entity at a time, as index
   * nested-loop joins need: {@code seek(e)}, then {@code next()} until null. With {@link #ANY_A}
   * it yields all the entity's datoms (in attribute order on the current database). Entities in
   * ascending order are fastest. The default runs {@link #search} per seek.
   */
  default EntityProbe probe(int a) {
    return new EntityProbe() {
      private java.util.Iterator<Datom> it = java.util.Collections.emptyIterator();

      @Override
      public void seek(long e) {
        it = search(e, a, null, ANY).iterator();
      }

      @Override
      public Datom next() {
        return it.hasNext() ? it.next() : null;
      }
    };
  }

  /** See {@link #probe}. Not thread-safe. */
  interface EntityProbe {
    /** Positions at the datoms of entity {@code e}. */
    void seek(long e);

    /** The next datom of the entity sought last, or null when there is none left. */
    Datom next();
  }

  /**
   * The datoms of attribute {@code a} whose value lies in {@code [from, to]} (inclusive; null is
   * unbounded), in value order. Works for every attribute, indexed or not.
   */
  Iterable<Datom> valueRange(int a, Object from, Object to);

  /**
   * An estimate of how many datoms {@link #search} would yield, computed in O(log n) from the
   * indices' subtree counts; exact on the current database.
   */
  long estimateCount(long e, int a, Object v);

  /** True for a history view, whose datoms include retractions. */
  boolean isHistory();

  /** True when attributes are stored as entity ids ({@code :attribute-refs? true}). */
  boolean attributeRefs();

  /** The largest transaction id this view can see. */
  long maxTx();
}
