package datahike.schema;

import static datahike.schema.SchemaKeys.*;

import datahike.Datom;
import datahike.edn.Keyword;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The schema of one database value: for each attribute ident its definition (the {@code :db/*}
 * properties, with keyword values), and the derived {@link Attribute} records the transactor, query
 * engine and pull read. Immutable; a schema change makes a new Schema.
 *
 * <p>In keyword mode an attribute's code is derived from its keyword, so attributes outside the
 * schema (schema-on-read) still have codes. With {@code :attribute-refs? true} the code is the
 * attribute's entity id, so only attributes with an entity have one.
 *
 * <p>Internal.
 */
public final class Schema {
  /** Ids of the system entities of an attribute-refs database (Datahike's constants). */
  public static final int SYSTEM_ENTITY_COUNT = 38;

  private final boolean attributeRefs;
  /** ident → definition (keys like :db/valueType, values keywords/booleans/strings). */
  private final Map<Keyword, Map<Keyword, Object>> entries;
  /** entity id → ident, for schema entities that live in the database. */
  private final Map<Long, Keyword> eidToIdent;
  private final Map<Keyword, Long> identToEid;

  // Derived.
  private final Map<Keyword, Attribute> byIdent = new HashMap<>();
  private final AttributeTable byCode = new AttributeTable();
  private final List<Attribute> refs = new ArrayList<>();
  private final List<Attribute> identities = new ArrayList<>();
  private final List<Attribute> compositeTuples = new ArrayList<>();
  /** attribute code → composite tuples it feeds, as (tuple attribute, position) pairs. */
  private final Map<Integer, List<TupleSlot>> tupleSources = new HashMap<>();

  /** One slot of a composite tuple: attribute {@code tuple} holds the source at {@code index}. */
  public record TupleSlot(Attribute tuple, int index) {}

  private Schema(
      boolean attributeRefs,
      Map<Keyword, Map<Keyword, Object>> entries,
      Map<Long, Keyword> eidToIdent,
      Map<Keyword, Long> identToEid) {
    this.attributeRefs = attributeRefs;
    this.entries = entries;
    this.eidToIdent = eidToIdent;
    this.identToEid = identToEid;
    derive();
  }

  /** The schema of a new database: the implicit system schema only. */
  public static Schema empty(boolean attributeRefs) {
    Map<Keyword, Map<Keyword, Object>> entries = new LinkedHashMap<>();
    Map<Long, Keyword> eidToIdent = new HashMap<>();
    Map<Keyword, Long> identToEid = new HashMap<>();
    if (attributeRefs) {
      for (SystemSchema.Entry e : SystemSchema.entries()) {
        Map<Keyword, Object> def = new LinkedHashMap<>(e.props());
        def.remove(IDENT);
        entries.put(e.ident(), def);
        eidToIdent.put(e.id(), e.ident());
        identToEid.put(e.ident(), e.id());
      }
    } else {
      entries.put(IDENT, props(UNIQUE, Attribute.UNIQUE_IDENTITY));
      entries.put(TX_INSTANT, props(NO_HISTORY, Boolean.TRUE));
      entries.put(ENTITY_ATTRS, props(CARDINALITY, CARDINALITY_MANY));
      entries.put(ENTITY_PREDS, props(CARDINALITY, CARDINALITY_MANY));
    }
    return new Schema(attributeRefs, entries, eidToIdent, identToEid);
  }

  private static Map<Keyword, Object> props(Keyword k, Object v) {
    Map<Keyword, Object> m = new LinkedHashMap<>();
    m.put(k, v);
    return m;
  }

  /** True when attributes are entity ids. */
  public boolean attributeRefs() {
    return attributeRefs;
  }

  /** This schema with the definition of {@code ident} replaced (eid may be null). */
  public Schema withEntry(Keyword ident, Long eid, Map<Keyword, Object> def) {
    Map<Keyword, Map<Keyword, Object>> e = new LinkedHashMap<>(entries);
    Map<Long, Keyword> ei = new HashMap<>(eidToIdent);
    Map<Keyword, Long> ie = new HashMap<>(identToEid);
    if (eid != null) {
      Keyword old = ei.get(eid);
      if (old != null && old != ident) {
        e.remove(old);
        ie.remove(old);
      }
      ei.put(eid, ident);
      ie.put(ident, eid);
    }
    e.put(ident, Collections.unmodifiableMap(new LinkedHashMap<>(def)));
    return new Schema(attributeRefs, e, ei, ie);
  }

  /** This schema without the definition held by entity {@code eid}. */
  public Schema withoutEntity(long eid) {
    Keyword ident = eidToIdent.get(eid);
    if (ident == null) return this;
    Map<Keyword, Map<Keyword, Object>> e = new LinkedHashMap<>(entries);
    Map<Long, Keyword> ei = new HashMap<>(eidToIdent);
    Map<Keyword, Long> ie = new HashMap<>(identToEid);
    e.remove(ident);
    ei.remove(eid);
    ie.remove(ident);
    return new Schema(attributeRefs, e, ei, ie);
  }

  private void derive() {
    for (Map.Entry<Keyword, Map<Keyword, Object>> en : entries.entrySet()) {
      Keyword ident = en.getKey();
      Integer code = codeFor(ident);
      if (code == null) continue;
      Attribute a = build(ident, code, en.getValue());
      byIdent.put(ident, a);
      byCode.put(code, a);
      if (a.isRef()) refs.add(a);
      if (a.isIdentity()) identities.add(a);
      if (a.isCompositeTuple()) compositeTuples.add(a);
    }
    for (Attribute t : compositeTuples) {
      List<Keyword> src = t.tupleAttrs();
      for (int i = 0; i < src.size(); i++) {
        Integer c = codeFor(src.get(i));
        if (c != null) tupleSources.computeIfAbsent(c, k -> new ArrayList<>()).add(new TupleSlot(t, i));
      }
    }
  }

  private Integer codeFor(Keyword ident) {
    if (!attributeRefs) return Datom.attrCode(ident);
    Long eid = identToEid.get(ident);
    return eid == null ? null : (int) (long) eid;
  }

  @SuppressWarnings("unchecked")
  private static Attribute build(Keyword ident, int code, Map<Keyword, Object> d) {
    Object card = d.get(CARDINALITY);
    Object vt = d.get(VALUE_TYPE);
    Object tupleAttrs = d.get(TUPLE_ATTRS);
    Object tupleTypes = d.get(TUPLE_TYPES);
    return new Attribute(
        ident,
        code,
        vt instanceof Keyword k ? k : null,
        card == CARDINALITY_MANY,
        d.get(UNIQUE) instanceof Keyword u ? u : null,
        Boolean.TRUE.equals(d.get(INDEX)),
        Boolean.TRUE.equals(d.get(IS_COMPONENT)),
        Boolean.TRUE.equals(d.get(NO_HISTORY)),
        keywords(tupleAttrs),
        d.get(TUPLE_TYPE) instanceof Keyword tt ? tt : null,
        keywords(tupleTypes));
  }

  /**
   * A list of keywords, or null when {@code o} is anything else: schema-on-read databases accept
   * any value for the schema attributes, and a malformed definition must not break the schema.
   */
  private static List<Keyword> keywords(Object o) {
    if (!(o instanceof List<?> l)) return null;
    for (Object x : l) if (!(x instanceof Keyword)) return null;
    return List.copyOf((List<Keyword>) l);
  }

  /** The attribute {@code ident}, or null when the schema does not define it. */
  public Attribute attribute(Keyword ident) {
    return byIdent.get(ident);
  }

  /** The attribute with {@code code}, or null when the schema does not define it. */
  public Attribute attribute(int code) {
    return byCode.get(code);
  }

  /** The code of {@code ident}, or null (attribute-refs mode, unknown attribute). */
  public Integer code(Keyword ident) {
    return codeFor(ident);
  }

  /** The ident of a schema entity, or null. */
  public Keyword identOf(long eid) {
    return eidToIdent.get(eid);
  }

  /** The entity holding {@code ident}'s definition, or null. */
  public Long eidOf(Keyword ident) {
    return identToEid.get(ident);
  }

  /** The definition of {@code ident} (unmodifiable), or null. */
  public Map<Keyword, Object> entry(Keyword ident) {
    return entries.get(ident);
  }

  /** True when {@code ident} has a definition. */
  public boolean contains(Keyword ident) {
    return entries.containsKey(ident);
  }

  /** Reference attributes. */
  public List<Attribute> refs() {
    return refs;
  }

  /** {@code :db.unique/identity} attributes. */
  public List<Attribute> identities() {
    return identities;
  }

  /** Composite tuple attributes. */
  public List<Attribute> compositeTuples() {
    return compositeTuples;
  }

  /** The composite tuples fed by attribute {@code code}; empty when none. */
  public List<TupleSlot> tupleSlots(int code) {
    // Asked for every datom written; most schemas have no composite tuple, and the lookup boxes.
    if (tupleSources.isEmpty()) return List.of();
    List<TupleSlot> l = tupleSources.get(code);
    return l == null ? List.of() : l;
  }

  /**
   * The user-visible schema as Datahike's {@code schema} returns it: ident → definition including
   * {@code :db/ident} (and {@code :db/id} when the definition lives in an entity), system
   * attributes left out.
   */
  public Map<Keyword, Map<Keyword, Object>> toMap() {
    Map<Keyword, Map<Keyword, Object>> out = new TreeMap<>();
    for (Map.Entry<Keyword, Map<Keyword, Object>> en : entries.entrySet()) {
      Keyword ident = en.getKey();
      if (SchemaKeys.isSystemKeyword(ident)) continue;
      Map<Keyword, Object> def = new LinkedHashMap<>(en.getValue());
      def.put(IDENT, ident);
      Long eid = identToEid.get(ident);
      if (eid != null) def.put(DB_ID, eid);
      out.put(ident, def);
    }
    return out;
  }

  /** Datahike's reverse schema: property → set of idents having it. */
  public Map<Keyword, Set<Keyword>> reverse() {
    Map<Keyword, Set<Keyword>> out = new TreeMap<>();
    for (Attribute a : byIdent.values()) {
      if (a.isRef()) add(out, Attribute.TYPE_REF, a.ident());
      if (a.many()) add(out, CARDINALITY_MANY, a.ident());
      if (a.unique() != null) {
        add(out, UNIQUE, a.ident());
        add(out, a.unique(), a.ident());
      }
      if (a.indexed()) add(out, INDEX, a.ident());
      if (a.component()) add(out, IS_COMPONENT, a.ident());
      if (a.noHistory()) add(out, NO_HISTORY, a.ident());
      if (a.valueType() == Attribute.TYPE_TUPLE) add(out, Attribute.TYPE_TUPLE, a.ident());
    }
    return out;
  }

  private static void add(Map<Keyword, Set<Keyword>> m, Keyword k, Keyword v) {
    m.computeIfAbsent(k, x -> new java.util.TreeSet<>()).add(v);
  }
}
