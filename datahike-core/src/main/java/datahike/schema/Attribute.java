package datahike.schema;

import datahike.edn.Keyword;
import java.util.List;

/**
 * What the schema says about one attribute. {@code code} is the attribute as the indices hold it
 * (see {@link datahike.Datom}). Attributes unknown to a schema-on-read database get a plain record
 * ({@link #plain}) with no type, cardinality one.
 *
 * @param ident the attribute's keyword
 * @param code the attribute as encoded in datoms
 * @param valueType {@code :db.type/...}, or null when untyped (schema-on-read)
 * @param many cardinality many
 * @param unique {@code :db.unique/identity}, {@code :db.unique/value}, or null
 * @param indexed {@code :db/index true}
 * @param component {@code :db/isComponent true}
 * @param noHistory {@code :db/noHistory true}
 * @param tupleAttrs for composite tuples, the attributes the tuple is made of, else null
 * @param tupleType for homogeneous tuples, the element type, else null
 * @param tupleTypes for heterogeneous tuples, the element types, else null
 */
public record Attribute(
    Keyword ident,
    int code,
    Keyword valueType,
    boolean many,
    Keyword unique,
    boolean indexed,
    boolean component,
    boolean noHistory,
    List<Keyword> tupleAttrs,
    Keyword tupleType,
    List<Keyword> tupleTypes) {

  public static final Keyword TYPE_REF = Keyword.of("db.type/ref");
  public static final Keyword TYPE_TUPLE = Keyword.of("db.type/tuple");
  public static final Keyword UNIQUE_IDENTITY = Keyword.of("db.unique/identity");
  public static final Keyword UNIQUE_VALUE = Keyword.of("db.unique/value");

  /** An attribute the schema does not describe (schema-on-read): untyped, cardinality one. */
  public static Attribute plain(Keyword ident, int code) {
    return new Attribute(ident, code, null, false, null, false, false, false, null, null, null);
  }

  /** Values are entity ids. */
  public boolean isRef() {
    return valueType == TYPE_REF;
  }

  /** Any kind of uniqueness. */
  public boolean isUnique() {
    return unique != null;
  }

  /** {@code :db.unique/identity}: upserts resolve through it. */
  public boolean isIdentity() {
    return unique == UNIQUE_IDENTITY;
  }

  /** A composite tuple ({@code :db/tupleAttrs}) maintained by the transactor. */
  public boolean isCompositeTuple() {
    return tupleAttrs != null;
  }

  /** Datahike keeps this attribute in AVET: indexed, unique, or (as Datahike does) a ref. */
  public boolean inAvet() {
    return indexed || unique != null || isRef();
  }
}
