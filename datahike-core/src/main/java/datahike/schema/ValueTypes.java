package datahike.schema;

import static datahike.schema.SchemaKeys.*;

import datahike.edn.Keyword;
import datahike.edn.Symbol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Which Java values each {@code :db.type/*} accepts, and how Datahike names the expected shape in
 * its "Must be conform to" messages (the clojure.spec predicate names). Internal.
 */
public final class ValueTypes {
  private ValueTypes() {}

  /** The implicit value types of the schema attributes themselves. */
  private static final Map<Keyword, Keyword> META_TYPES =
      Map.ofEntries(
          Map.entry(IDENT, Keyword.of("db.type/keyword")),
          Map.entry(VALUE_TYPE, Keyword.of("db.type/valueType")),
          Map.entry(CARDINALITY, Keyword.of("db.type/cardinality")),
          Map.entry(UNIQUE, Keyword.of("db.type/unique")),
          Map.entry(INDEX, Keyword.of("db.type/boolean")),
          Map.entry(IS_COMPONENT, Keyword.of("db.type/boolean")),
          Map.entry(NO_HISTORY, Keyword.of("db.type/boolean")),
          Map.entry(DOC, Keyword.of("db.type/string")),
          Map.entry(TX_INSTANT, Keyword.of("db.type/instant")),
          Map.entry(TUPLE_ATTRS, Keyword.of("db.type/tupleAttrs")),
          Map.entry(TUPLE_TYPE, Keyword.of("db.type/tupleType")),
          Map.entry(TUPLE_TYPES, Keyword.of("db.type/tupleTypes")),
          Map.entry(ENTITY_ATTRS, Keyword.of("db.type/keyword")),
          Map.entry(ENTITY_PREDS, Keyword.of("db.type/symbol")));

  /** The value type Datahike checks for a system attribute, or null for user attributes. */
  public static Keyword metaType(Keyword attr) {
    return META_TYPES.get(attr);
  }

  /** True when {@code v} is a valid value of type {@code type} (null type accepts anything). */
  public static boolean valid(Keyword type, Object v) {
    if (type == null) return true;
    switch (type.fullName()) {
      case "db.type/string":
        return v instanceof String;
      case "db.type/long":
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
      case "db.type/double":
        return v instanceof Double;
      case "db.type/float":
        return v instanceof Float || v instanceof Double;
      case "db.type/boolean":
        return v instanceof Boolean;
      case "db.type/keyword":
        return v instanceof Keyword;
      case "db.type/symbol":
        return v instanceof Symbol;
      case "db.type/uuid":
        return v instanceof UUID;
      case "db.type/instant":
        return v instanceof Date;
      case "db.type/bigdec":
        return v instanceof BigDecimal;
      case "db.type/bigint":
        return v instanceof BigInteger || v instanceof Long || v instanceof Integer;
      case "db.type/number":
        return v instanceof Number;
      case "db.type/bytes":
        return v instanceof byte[];
      case "db.type/ref":
        return v instanceof Number || v instanceof Keyword || v instanceof List || v instanceof String;
      case "db.type/tuple":
        return v instanceof List;
      case "db.type/valueType":
        return v instanceof Keyword k && VALUE_TYPES.contains(k);
      case "db.type/cardinality":
        return v == CARDINALITY_ONE || v == CARDINALITY_MANY;
      case "db.type/unique":
        return v == Attribute.UNIQUE_IDENTITY || v == Attribute.UNIQUE_VALUE;
      case "db.type/tupleAttrs":
      case "db.type/tupleTypes":
        return v instanceof List<?> l && l.stream().allMatch(x -> x instanceof Keyword);
      case "db.type/tupleType":
        return v instanceof Keyword;
      default:
        return true;
    }
  }

  /** Datahike's description of a type in error messages ({@code string?}, {@code #{...}}). */
  public static String describe(Keyword type) {
    if (type == null) return "nil";
    switch (type.fullName()) {
      case "db.type/string":
        return "string?";
      case "db.type/long":
        return "int?";
      case "db.type/double":
        return "double?";
      case "db.type/float":
        return "float?";
      case "db.type/boolean":
        return "boolean?";
      case "db.type/keyword":
        return "keyword?";
      case "db.type/symbol":
        return "symbol?";
      case "db.type/uuid":
        return "uuid?";
      case "db.type/instant":
        return "inst?";
      case "db.type/bigdec":
        return "decimal?";
      case "db.type/bigint":
        return "integer?";
      case "db.type/number":
        return "number?";
      case "db.type/bytes":
        return "bytes?";
      case "db.type/ref":
        return "(or :id number? :ident keyword? :lookup-ref vector?)";
      case "db.type/tuple":
        return "vector?";
      case "db.type/valueType":
        return setOf(VALUE_TYPES);
      case "db.type/cardinality":
        return setOf(Set.of(CARDINALITY_ONE, CARDINALITY_MANY));
      case "db.type/unique":
        return setOf(Set.of(Attribute.UNIQUE_IDENTITY, Attribute.UNIQUE_VALUE));
      default:
        return type.toString();
    }
  }

  private static String setOf(Set<Keyword> ks) {
    StringBuilder sb = new StringBuilder("#{");
    ks.stream().sorted().forEach(k -> sb.append(sb.length() > 2 ? " " : "").append(k));
    return sb.append('}').toString();
  }
}
