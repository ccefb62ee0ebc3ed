package datahike;

import datahike.edn.Keyword;
import java.util.Objects;

/**
 * One fact: entity {@code e} has attribute {@code a} with value {@code v}, asserted
 * ({@code added}) or retracted by transaction {@code tx}. Datoms are immutable and shared between
 * the indices (one object, referenced from EAVT, AEVT and AVET).
 *
 * <p>The attribute is held as an int so that the hot comparisons stay on primitives: a negative
 * {@code a} is the keyword with id {@code -a} (see {@link Keyword#id()}), used by databases with
 * keyword attributes (the default); a non-negative {@code a} is the entity id of the attribute,
 * used by databases with {@code :attribute-refs? true}. {@link #attr()} gives the attribute as
 * Datahike shows it: a keyword, or the attribute's entity id.
 */
public final class Datom {
  /** The entity id. */
  public final long e;
  /** The attribute, encoded as described in the class comment. */
  public final int a;
  /** The value: String, Long, Double, Float, Boolean, Date, UUID, Keyword, ... */
  public final Object v;
  /**
   * The transaction id, negative when the datom is a retraction ({@code -tx}). An int: Datahike's
   * transaction ids lie below 2^31 ({@code txmax}), and the four bytes saved make a datom 32 bytes.
   */
  private final int txAndOp;

  public Datom(long e, int a, Object v, long tx, boolean added) {
    if (tx < 0 || tx > Integer.MAX_VALUE) {
      throw DatahikeException.of(
          "datom/tx-range", "Transaction id " + tx + " is outside 0.." + Integer.MAX_VALUE, "tx", tx);
    }
    this.e = e;
    this.a = a;
    this.v = v;
    this.txAndOp = added ? (int) tx : (int) -tx;
  }

  /** The int encoding of a keyword attribute (see class comment). */
  public static int attrCode(Keyword k) {
    return -k.id();
  }

  /** The entity id. */
  public long e() {
    return e;
  }

  /** The encoded attribute (see class comment). */
  public int a() {
    return a;
  }

  /** The attribute as Datahike shows it: a {@link Keyword}, or a Long entity id. */
  public Object attr() {
    return a < 0 ? Keyword.byId(-a) : (Object) (long) a;
  }

  /** The value. */
  public Object v() {
    return v;
  }

  /** The transaction that asserted or retracted this datom. */
  public long tx() {
    return txAndOp < 0 ? -(long) txAndOp : txAndOp;
  }

  /** True for an assertion, false for a retraction. */
  public boolean added() {
    return txAndOp >= 0;
  }

  /** This datom with another {@code added} flag and transaction. */
  public Datom withOp(long tx, boolean added) {
    return new Datom(e, a, v, tx, added);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Datom d
        && d.e == e
        && d.a == a
        && d.txAndOp == txAndOp
        && datahike.index.Values.equal(v, d.v);
  }

  @Override
  public int hashCode() {
    return Objects.hash(e, a, datahike.index.Values.hash(v), txAndOp);
  }

  @Override
  public String toString() {
    return "#datahike/Datom ["
        + e
        + " "
        + attr()
        + " "
        + datahike.edn.EdnPrinter.print(v)
        + " "
        + tx()
        + " "
        + added()
        + "]";
  }
}
