package datahike.schema;

import static datahike.schema.SchemaKeys.*;

import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Datahike's system schema for databases with {@code :attribute-refs? true}: entities 1 to 38
 * holding the schema attributes and the enum idents, with the ids Datahike gives them (its {@code
 * datahike.constants/system-schema}), so that stored ids match Datahike's. Internal.
 */
public final class SystemSchema {
  private SystemSchema() {}

  /** One system entity. */
  public record Entry(long id, Keyword ident, Map<Keyword, Object> props) {}

  private static final List<Entry> ENTRIES = new ArrayList<>();

  private static void attr(long id, String ident, String type, String doc, Object... more) {
    Map<Keyword, Object> p = new LinkedHashMap<>();
    p.put(IDENT, Keyword.of(ident));
    p.put(VALUE_TYPE, Keyword.of(type));
    p.put(CARDINALITY, CARDINALITY_ONE);
    p.put(DOC, doc);
    for (int i = 0; i < more.length; i += 2) p.put((Keyword) more[i], more[i + 1]);
    ENTRIES.add(new Entry(id, Keyword.of(ident), p));
  }

  private static void ident(long id, String ident) {
    Map<Keyword, Object> p = new LinkedHashMap<>();
    p.put(IDENT, Keyword.of(ident));
    ENTRIES.add(new Entry(id, Keyword.of(ident), p));
  }

  static {
    attr(1, "db/ident", "db.type/keyword", "An attribute's or specification's identifier",
        UNIQUE, Keyword.of("db.unique/value"));
    attr(2, "db/valueType", "db.type/valueType", "An attribute's value type");
    attr(3, "db/cardinality", "db.type/cardinality", "An attribute's cardinality");
    attr(4, "db/doc", "db.type/string", "An attribute's documentation");
    attr(5, "db/index", "db.type/boolean", "An attribute's index selection");
    attr(6, "db/unique", "db.type/unique", "An attribute's unique selection");
    attr(7, "db/noHistory", "db.type/boolean", "An attribute's history selection");
    attr(8, "db.install/attribute", "db.type.install/attribute",
        "Only for interoperability with Datomic");
    attr(9, "db/txInstant", "db.type/instant", "A transaction's time-point",
        NO_HISTORY, Boolean.TRUE, INDEX, Boolean.TRUE);
    String[] idents = {
      "db.cardinality/many", "db.cardinality/one", "db.part/sys", "db.part/tx", "db.part/user",
      "db.type/bigdec", "db.type/bigint", "db.type/boolean", "db.type/double",
      "db.type/cardinality", "db.type/float", "db.type/number", "db.type/instant",
      "db.type/keyword", "db.type/long", "db.type/ref", "db.type/string", "db.type/symbol",
      "db.type/unique", "db.type/uuid", "db.type/valueType", "db.type.install/attribute",
      "db.unique/identity", "db.unique/value", "db/isComponent", "db/tupleType",
      "db/tupleTypes", "db/tupleAttrs", "db.type/tuple"
    };
    for (int i = 0; i < idents.length; i++) ident(10 + i, idents[i]);
  }

  /** The system entities in id order. */
  public static List<Entry> entries() {
    return ENTRIES;
  }

  /** The id of a system ident, or -1. */
  public static long idOf(Keyword ident) {
    for (Entry e : ENTRIES) if (e.ident() == ident) return e.id();
    return -1;
  }

  /**
   * True for the system attributes whose values are system idents stored as entity ids in an
   * attribute-refs database ({@code :db/valueType}, {@code :db/cardinality}, {@code :db/unique}).
   */
  public static boolean storesIdentRefs(Keyword attr) {
    return attr == VALUE_TYPE || attr == CARDINALITY || attr == UNIQUE;
  }
}
