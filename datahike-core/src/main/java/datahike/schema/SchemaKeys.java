package datahike.schema;

import datahike.edn.Keyword;
import java.util.Set;

/** The keywords of Datahike's schema language, in one place. Internal. */
public final class SchemaKeys {
  private SchemaKeys() {}

  public static final Keyword DB_ID = Keyword.of("db/id");
  public static final Keyword IDENT = Keyword.of("db/ident");
  public static final Keyword VALUE_TYPE = Keyword.of("db/valueType");
  public static final Keyword CARDINALITY = Keyword.of("db/cardinality");
  public static final Keyword UNIQUE = Keyword.of("db/unique");
  public static final Keyword INDEX = Keyword.of("db/index");
  public static final Keyword IS_COMPONENT = Keyword.of("db/isComponent");
  public static final Keyword NO_HISTORY = Keyword.of("db/noHistory");
  public static final Keyword DOC = Keyword.of("db/doc");
  public static final Keyword TUPLE_ATTRS = Keyword.of("db/tupleAttrs");
  public static final Keyword TUPLE_TYPE = Keyword.of("db/tupleType");
  public static final Keyword TUPLE_TYPES = Keyword.of("db/tupleTypes");
  public static final Keyword TX_INSTANT = Keyword.of("db/txInstant");
  public static final Keyword ENSURE = Keyword.of("db/ensure");
  public static final Keyword ENTITY_ATTRS = Keyword.of("db.entity/attrs");
  public static final Keyword ENTITY_PREDS = Keyword.of("db.entity/preds");
  public static final Keyword CARDINALITY_ONE = Keyword.of("db.cardinality/one");
  public static final Keyword CARDINALITY_MANY = Keyword.of("db.cardinality/many");
  public static final Keyword INSTALL_ATTRIBUTE = Keyword.of("db.install/attribute");

  /** Attributes whose datoms define schema (a change to them changes the schema). */
  public static final Set<Keyword> SCHEMA_ATTRS =
      Set.of(
          IDENT,
          VALUE_TYPE,
          CARDINALITY,
          UNIQUE,
          INDEX,
          IS_COMPONENT,
          NO_HISTORY,
          DOC,
          TUPLE_ATTRS,
          TUPLE_TYPE,
          TUPLE_TYPES,
          ENTITY_ATTRS,
          ENTITY_PREDS);

  /** Value types Datahike accepts for {@code :db/valueType}. */
  public static final Set<Keyword> VALUE_TYPES =
      Set.of(
          Keyword.of("db.type/bigdec"),
          Keyword.of("db.type/bigint"),
          Keyword.of("db.type/boolean"),
          Keyword.of("db.type/bytes"),
          Keyword.of("db.type/double"),
          Keyword.of("db.type/float"),
          Keyword.of("db.type/instant"),
          Keyword.of("db.type/keyword"),
          Keyword.of("db.type/long"),
          Keyword.of("db.type/number"),
          Keyword.of("db.type/ref"),
          Keyword.of("db.type/string"),
          Keyword.of("db.type/symbol"),
          Keyword.of("db.type/tuple"),
          Keyword.of("db.type/uuid"),
          Keyword.of("db.type/valueType"),
          Keyword.of("db.type/cardinality"),
          Keyword.of("db.type/unique"));

  /** True for keywords in Datahike's reserved {@code db} namespaces ({@code :db/...}, {@code :db.type/...}). */
  public static boolean isSystemKeyword(Object k) {
    if (!(k instanceof Keyword kw) || kw.namespace() == null) return false;
    String ns = kw.namespace();
    return ns.equals("db") || ns.startsWith("db.");
  }
}
